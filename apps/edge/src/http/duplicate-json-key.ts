const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * One open object or array. A single shape for both (keys null in an array)
 * keeps the scan's property accesses monomorphic, which V8 runs fastest.
 */
interface Frame {
  /** The keys seen so far in this object; null for an array. */
  keys: Set<string> | null;
  /** The key whose value is being read; undefined before the first. */
  key: string | undefined;
  /** In an object, true after `{` or `,`: the next string is a key, not a value. */
  expectKey: boolean;
  /** In an array, the index of the element being read. */
  index: number;
}

/**
 * The path (`model`, `messages[0].role`) of the first key that appears twice
 * in one object of `raw`, or null when none does. `raw` must be JSON that
 * JSON.parse accepted: this is not a parser, only a guard beside one.
 *
 * Why refuse instead of re-serialising what JSON.parse kept: the edge checks
 * the parsed body (the last of two `model`s wins in JSON.parse) but forwards
 * the client's exact bytes upstream (see relay/outbound-body.ts), and an
 * upstream that keeps the first `model` would serve a model the key may not
 * use, at the price of the one that was checked. Re-serialising would close
 * that too, but it would change what the client sent (number spellings, key
 * order, escapes) and cost a serialisation per request.
 *
 * Why by hand: the npm packages made for this (json-dup-key-validator,
 * find-duplicated-property-keys) are full second parsers written for config
 * files, unmaintained for years, and do not say where the key is. This is
 * one linear pass over the bytes: string contents are skipped with
 * Buffer.indexOf (native), and only object keys become strings.
 */
export function findDuplicateJsonKey(raw: Buffer): string | null {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let i = 0;
  while (i < raw.length) {
    switch (raw[i]) {
      case QUOTE:
        if (top?.keys && top.expectKey) {
          const { key, end } = readKey(raw, i);
          if (top.keys.has(key)) return pathOf(stack, key);
          top.keys.add(key);
          top.key = key;
          top.expectKey = false;
          i = end;
        } else {
          i = endOfString(raw, i);
        }
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        top = { keys: raw[i] === OPEN_OBJECT ? new Set() : null, key: undefined, expectKey: true, index: 0 };
        stack.push(top);
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        stack.pop();
        top = stack[stack.length - 1];
        break;
      case COMMA:
        if (top?.keys) top.expectKey = true;
        else if (top) top.index++;
        break;
    }
    i++;
  }
  return null;
}

/** The index of the quote closing the string opened at `start`, for long strings: native search. */
function endOfString(raw: Buffer, start: number): number {
  let end = raw.indexOf(QUOTE, start + 1);
  while (end !== -1 && isEscaped(raw, end)) end = raw.indexOf(QUOTE, end + 1);
  return end === -1 ? raw.length : end;
}

/** An odd run of backslashes before `quote` escapes it. */
function isEscaped(raw: Buffer, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; i >= 0 && raw[i] === BACKSLASH; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The key whose opening quote is at `start`, escapes resolved (`"mo\u0064el"`
 * is `model`), and the index of its closing quote. Keys are short, so a plain
 * loop, which also sees whether the key has escapes.
 */
function readKey(raw: Buffer, start: number): { key: string; end: number } {
  let escaped = false;
  let end = start + 1;
  while (end < raw.length && raw[end] !== QUOTE) {
    if (raw[end] === BACKSLASH) {
      escaped = true;
      end++;
    }
    end++;
  }
  // Only this one string token is parsed, and only when it has escapes.
  const key = escaped
    ? (JSON.parse(raw.toString('utf8', start, end + 1)) as string)
    : raw.toString('utf8', start + 1, end);
  return { key, end };
}

/** `messages[0].role`: how OpenAI's `param` names a nested field. */
function pathOf(stack: readonly Frame[], key: string): string {
  let path = '';
  for (let depth = 0; depth < stack.length - 1; depth++) {
    const frame = stack[depth];
    if (!frame.keys) path += `[${frame.index}]`;
    else if (frame.key !== undefined) path += path ? `.${frame.key}` : frame.key;
  }
  return path ? `${path}.${key}` : key;
}
