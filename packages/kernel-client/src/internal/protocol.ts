import { randomUUID } from 'node:crypto';
import { extractLargeText, type LargeText } from './large-text.js';

/** Jupyter messaging protocol version we speak. */
export const PROTOCOL_VERSION = '5.3';
/** The websocket subprotocol in which the server relays raw ZMQ frames (no JSON re-encoding). */
export const WS_PROTOCOL_V1 = 'v1.kernel.websocket.jupyter.org';

export type Channel = 'shell' | 'iopub' | 'stdin' | 'control';

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface KernelMessage {
  channel: Channel;
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers?: Uint8Array[];
  /** A huge stream text decoded only in part (`content.text` is then empty). */
  largeText?: LargeText;
}

/** Decode huge stream messages without materialising their text (see large-text.ts). */
export interface LargeStreamOptions {
  /** Content bytes above which a stream message takes the bounded path. */
  thresholdBytes: number;
  headChars: number;
  tailChars: number;
}

export function makeMessage(
  channel: Channel,
  msgType: string,
  content: Record<string, unknown>,
  session: string,
  parent: Partial<MessageHeader> = {},
): KernelMessage {
  return {
    channel,
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: 'jupyter-mcp',
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: parent,
    metadata: {},
    content,
  };
}

/** Encode for the v1 websocket protocol: offsets (uint64 LE), channel, header, parent, metadata, content. */
export function encodeV1(msg: KernelMessage): Buffer {
  const parts = [
    Buffer.from(msg.channel, 'utf8'),
    Buffer.from(JSON.stringify(msg.header), 'utf8'),
    Buffer.from(JSON.stringify(msg.parent_header), 'utf8'),
    Buffer.from(JSON.stringify(msg.metadata), 'utf8'),
    Buffer.from(JSON.stringify(msg.content), 'utf8'),
    ...(msg.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  ];
  const nOffsets = parts.length + 1;
  const offsets: number[] = [8 * (1 + nOffsets)];
  for (const p of parts) offsets.push(offsets[offsets.length - 1]! + p.length);
  const head = Buffer.alloc(8 * (1 + nOffsets));
  head.writeBigUInt64LE(BigInt(nOffsets), 0);
  offsets.forEach((o, i) => {
    head.writeBigUInt64LE(BigInt(o), 8 * (i + 1));
  });
  return Buffer.concat([head, ...parts]);
}

/** Decode a v1 websocket frame. */
export function decodeV1(frame: Buffer, large?: LargeStreamOptions): KernelMessage {
  if (frame.length < 16) throw new Error(`v1 frame too short (${frame.length} bytes)`);
  const n = Number(frame.readBigUInt64LE(0));
  if (n < 6 || 8 * (n + 1) > frame.length) throw new Error(`v1 frame has a bad offset count (${n})`);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) offsets.push(Number(frame.readBigUInt64LE(8 * (i + 1))));
  const part = (i: number) => frame.subarray(offsets[i]!, offsets[i + 1]!);
  const channel = part(0).toString('utf8') as Channel;
  const json = (i: number) => {
    const b = part(i);
    return b.length ? JSON.parse(b.toString('utf8')) : {};
  };
  const buffers: Uint8Array[] = [];
  for (let i = 5; i < n - 1; i++) buffers.push(part(i));
  const header = json(1);
  if (large && header.msg_type === 'stream' && part(4).length > large.thresholdBytes) {
    const got = extractLargeText(part(4), large.headChars, large.tailChars);
    if (got) {
      return {
        channel,
        header,
        parent_header: json(2),
        metadata: json(3),
        content: { name: got.name, text: '' },
        buffers,
        largeText: got.text,
      };
    }
  }
  return {
    channel,
    header,
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers,
  };
}

/** Encode for the legacy (JSON text) protocol. */
export function encodeLegacy(msg: KernelMessage): string {
  const { buffers: _b, ...rest } = msg;
  return JSON.stringify({ ...rest, buffers: [] });
}

/** Decode a legacy frame: JSON text, or the binary form used when a message carries buffers. */
export function decodeLegacy(data: Buffer | string, isBinary: boolean): KernelMessage {
  if (!isBinary) return JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as KernelMessage;
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const nbufs = buf.readUInt32BE(0);
  const offsets: number[] = [];
  for (let i = 0; i < nbufs; i++) offsets.push(buf.readUInt32BE(4 * (i + 1)));
  const end = (i: number) => (i + 1 < offsets.length ? offsets[i + 1]! : buf.length);
  const msg = JSON.parse(buf.subarray(offsets[0]!, end(0)).toString('utf8')) as KernelMessage;
  msg.buffers = [];
  for (let i = 1; i < offsets.length; i++) msg.buffers.push(buf.subarray(offsets[i]!, end(i)));
  return msg;
}
