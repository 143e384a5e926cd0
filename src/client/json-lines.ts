/**
 * Decodes a body of newline-separated JSON values (GET /events, GET /containers/{id}/stats) into
 * parsed objects. A single line is capped so a misbehaving peer cannot exhaust memory.
 */
export async function* jsonLines<T>(
  body: AsyncIterable<Buffer>,
  maxLine = 4 * 1024 * 1024,
): AsyncGenerator<T> {
  let buf = '';
  for await (const chunk of body) {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
    if (buf.length > maxLine) throw new Error('stream line too long');
  }
  if (buf.trim() !== '') yield JSON.parse(buf) as T;
}
