// Recognises a TFRecord stream (an event file) by content, whatever the file is called.
import { crc32c8, maskCrc } from './crc32c';

/**
 * True when `head` starts with a sound TFRecord header: a little-endian uint64 length
 * below 2 GiB followed by the masked CRC-32C of those 8 bytes. Any other file passes by
 * chance with probability 2^-32.
 */
export function looksLikeTfRecord(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const stored = (head[8]! | (head[9]! << 8) | (head[10]! << 16) | (head[11]! << 24)) >>> 0;
  if (stored !== maskCrc(crc32c8(head, 0))) return false;
  const hi = head[4]! | head[5]! | head[6]! | head[7]!;
  return hi === 0 && head[3]! < 0x80;
}
