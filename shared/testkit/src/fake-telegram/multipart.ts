import { ApiError } from "./api-error.ts";

/** A file part of a multipart upload. Serialises to a summary so call logs stay small. */
export class UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;

  constructor(filename: string, contentType: string, data: Buffer) {
    this.filename = filename;
    this.contentType = contentType;
    this.data = data;
  }

  toJSON(): Record<string, unknown> {
    return {
      filename: this.filename,
      content_type: this.contentType,
      size: this.data.length,
    };
  }
}

export type FormValue = string | UploadedFile;

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const DISPOSITION_PARAM = /(?:^|;)\s*(name|filename)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi;

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/**
 * Parses a buffered multipart/form-data body. Header names are matched
 * case-insensitively and filenames may be unquoted, because grammY writes
 * `content-disposition:form-data;name="x";filename=y` without spaces or quotes.
 */
export function parseMultipart(body: Buffer, boundary: string): Map<string, FormValue> {
  const out = new Map<string, FormValue>();
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new ApiError(400, "Bad Request: invalid multipart/form-data body");
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out;
    if (body.subarray(pos, pos + 2).equals(CRLF)) pos += 2;
    const headersEnd = body.indexOf(HEADER_END, pos);
    if (headersEnd < 0) throw new ApiError(400, "Bad Request: invalid multipart/form-data body");
    const dataStart = headersEnd + HEADER_END.length;
    const end = body.indexOf(nextDelimiter, dataStart);
    if (end < 0) throw new ApiError(400, "Bad Request: invalid multipart/form-data body");
    const part = partHeaders(body.toString("utf8", pos, headersEnd));
    const data = body.subarray(dataStart, end);
    if (part.name !== undefined) {
      out.set(
        part.name,
        part.filename === undefined ? data.toString("utf8") : new UploadedFile(part.filename, part.contentType, Buffer.from(data)),
      );
    }
    pos = end + 2;
  }
}

function partHeaders(raw: string): {
  name?: string;
  filename?: string;
  contentType: string;
} {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType = "application/octet-stream";
  for (const line of raw.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") contentType = value;
    if (key !== "content-disposition") continue;
    for (const m of value.matchAll(DISPOSITION_PARAM)) {
      const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "").trim();
      if (m[1]?.toLowerCase() === "name") name = v;
      else filename = v;
    }
  }
  return { name, filename, contentType };
}
