/** What the gateway checks an image generation request against, per model. */
export interface ImageCapabilities {
  /** Longest prompt, in characters (Unicode code points, as OpenAI counts them). */
  promptMaxChars: number;
  /** Accepted `size` values, lower case ("1024x1024", "auto"). */
  sizes: readonly string[];
  /** The size OpenAI uses when the request names none; the hold is priced at it. */
  defaultSize: string;
  /** Accepted range of `n`, inclusive. */
  nMin: number;
  nMax: number;
}

/** What the gateway checks a text-to-speech request against, per model. */
export interface SpeechCapabilities {
  /** Longest `input`, in characters. */
  inputMaxChars: number;
}

/** Per-model changes to the built-in table; the key `*` changes the default for models the table does not know. */
export interface CapabilityOverrides {
  images: Readonly<Record<string, Partial<ImageCapabilities>>>;
  speech: Readonly<Record<string, Partial<SpeechCapabilities>>>;
}

/** The model key whose entry applies to every model without one of its own. */
export const ANY_MODEL = '*';
