import { parseBuffer } from 'music-metadata';
import type { FormPart } from '../../http/multipart-form.js';

/**
 * The audio's duration in seconds, read from the file's own headers with
 * music-metadata (WAV, MP3, FLAC, Ogg, MP4/M4A, WebM…); null when its
 * format cannot be read, or it states no duration. For an MP3 without a
 * duration header the library counts the frames, so the answer is the
 * file's real length, never a guess from its size.
 */
export async function audioDurationSeconds(file: FormPart): Promise<number | null> {
  try {
    const metadata = await parseBuffer(
      file.data,
      { mimeType: file.mimeType, size: file.data.length, path: file.filename ?? undefined },
      { duration: true, skipCovers: true },
    );
    const duration = metadata.format.duration;
    return typeof duration === 'number' && Number.isFinite(duration) && duration >= 0 ? duration : null;
  } catch {
    return null;
  }
}
