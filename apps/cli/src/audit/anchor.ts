import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

import type { EventStore } from '@app/event-store';

/**
 * Audit anchors (issue #16). The hash chain alone proves nothing against someone who can write the database:
 * edit an event, recompute that stream's hashes with the documented recipe, and `verify` passes. An anchor is
 * a signed checkpoint kept OUTSIDE the database (a file, an object store, a ticket of the audit trail):
 *
 *   heads      every stream's last revision and stored hash at the time of the anchor
 *   root       Merkle root over the heads (leaves sorted by stream name)
 *   signature  Ed25519 over the canonical payload {format, createdAt, globalPosition, streams, root}
 *
 * Any rewrite of history before the anchor changes the stored hash of the anchored head of that stream (the
 * chain carries every earlier event into it), so `verify --against` finds it even when the chain was
 * recomputed. One ticket can be checked with its Merkle proof against the signed root alone (`anchor-proof`).
 *
 * Merkle recipe (for an auditor's own tool): leaf = sha256hex("\0" + JSON.stringify([stream, revision, hash])),
 * node = sha256hex("\x01" + left + right) over the hex strings; an odd node at the end of a level is carried up
 * unchanged; a single leaf is the root.
 */
export const ANCHOR_FORMAT = 'ipro-repair-anchor/1';

export interface StreamHead {
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
}

export interface AnchorPayload {
  readonly format: typeof ANCHOR_FORMAT;
  readonly createdAt: string;
  /** Global position of the last event covered. */
  readonly globalPosition: number;
  readonly streams: number;
  readonly root: string;
}

export interface Anchor extends AnchorPayload {
  /** Ed25519 signature of `payloadText(payload)`, base64. */
  readonly signature: string;
  /** sha256 of the signing public key (SPKI DER), hex: tells which key to verify with. */
  readonly keyFingerprint: string;
  readonly heads: readonly StreamHead[];
}

export interface ProofStep {
  readonly side: 'left' | 'right';
  readonly hash: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const leafHash = (h: StreamHead): string =>
  sha256(`\0${JSON.stringify([h.stream, h.revision, h.hash])}`);
const nodeHash = (left: string, right: string): string => sha256(`\x01${left}${right}`);

const byStream = (a: StreamHead, b: StreamHead): number =>
  a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;

/** The Merkle levels, leaves first (heads sorted by stream name). */
function levels(heads: readonly StreamHead[]): string[][] {
  const out: string[][] = [[...heads].sort(byStream).map(leafHash)];
  for (let level = out[0]!; level.length > 1;) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    out.push(next);
    level = next;
  }
  return out;
}

/** Root of the heads ('' for a store without events). */
export function merkleRoot(heads: readonly StreamHead[]): string {
  return heads.length === 0 ? '' : levels(heads).at(-1)![0]!;
}

/** The sibling hashes from the stream's leaf up to the root. */
export function merkleProof(heads: readonly StreamHead[], stream: string): ProofStep[] | undefined {
  let index = [...heads].sort(byStream).findIndex((h) => h.stream === stream);
  if (index < 0) return undefined;
  const proof: ProofStep[] = [];
  for (const level of levels(heads).slice(0, -1)) {
    const sibling = index % 2 === 0 ? index + 1 : index - 1;
    if (sibling < level.length)
      proof.push({ side: index % 2 === 0 ? 'right' : 'left', hash: level[sibling]! });
    index = Math.floor(index / 2);
  }
  return proof;
}

export function verifyMerkleProof(head: StreamHead, proof: readonly ProofStep[], root: string): boolean {
  const top = proof.reduce(
    (hash, step) => (step.side === 'right' ? nodeHash(hash, step.hash) : nodeHash(step.hash, hash)),
    leafHash(head),
  );
  return top === root;
}

/** The exact text that is signed: the payload's fields in a fixed order. */
export function payloadText(p: AnchorPayload): string {
  return JSON.stringify([p.format, p.createdAt, p.globalPosition, p.streams, p.root]);
}

export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Every stream's head in the store now, in one pass over the whole log (one head kept per stream). Not bounded
 * by the CLI's clock: recordedAt is the store's clock, and a CLI host running behind it must not leave out
 * events already stored.
 */
export async function readHeads(store: EventStore): Promise<{ heads: StreamHead[]; globalPosition: number }> {
  const heads = new Map<string, StreamHead>();
  let globalPosition = -1;
  const everything = {
    kind: 'recorded',
    from: '0001-01-01T00:00:00.000Z',
    to: '9999-12-31T23:59:59.999Z',
  } as const;
  for await (const e of store.readChained(everything)) {
    heads.set(e.stream, { stream: e.stream, revision: e.revision, hash: e.hash });
    globalPosition = Math.max(globalPosition, e.globalPosition);
  }
  return { heads: [...heads.values()].sort(byStream), globalPosition };
}

export function signAnchor(
  heads: readonly StreamHead[],
  globalPosition: number,
  createdAt: string,
  privateKey: KeyObject,
): Anchor {
  const payload: AnchorPayload = {
    format: ANCHOR_FORMAT,
    createdAt,
    globalPosition,
    streams: heads.length,
    root: merkleRoot(heads),
  };
  return {
    ...payload,
    signature: sign(null, Buffer.from(payloadText(payload), 'utf8'), privateKey).toString('base64'),
    keyFingerprint: keyFingerprint(createPublicKey(privateKey)),
    heads,
  };
}

/** Why an anchor file itself cannot be trusted, or undefined when its signature and root hold. */
export function anchorProblem(anchor: Anchor, publicKey: KeyObject): string | undefined {
  if ((anchor.format as string) !== ANCHOR_FORMAT) return 'not an anchor of format ' + ANCHOR_FORMAT;
  const signed = verify(
    null,
    Buffer.from(payloadText(anchor), 'utf8'),
    publicKey,
    Buffer.from(anchor.signature, 'base64'),
  );
  if (!signed) return 'the anchor signature does not verify with this public key';
  if (merkleRoot(anchor.heads) !== anchor.root || anchor.heads.length !== anchor.streams)
    return 'the heads listed in the anchor do not give its signed Merkle root';
  return undefined;
}

export interface HeadMismatch {
  readonly head: StreamHead;
  /** The hash stored now at the anchored revision (undefined: that revision is gone). */
  readonly storedNow: string | undefined;
}

/**
 * Compares the store with the anchored heads: each anchored stream must still hold the anchored revision with
 * the anchored hash. Returns the first mismatch. The chains themselves are the caller's check (`verify` runs
 * `verifyChains` first), so a mismatch here with intact chains means they were recomputed after an edit.
 */
export async function firstMismatch(
  store: EventStore,
  heads: readonly StreamHead[],
): Promise<HeadMismatch | undefined> {
  for (const head of heads) {
    let storedNow: string | undefined;
    for await (const e of store.readChained({ kind: 'stream', stream: head.stream }))
      if (e.revision === head.revision) storedNow = e.hash;
    if (storedNow !== head.hash) return { head, storedNow };
  }
  return undefined;
}
