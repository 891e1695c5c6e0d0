import { createHash, generateKeyPairSync } from 'node:crypto';

import {
  anchorProblem,
  merkleProof,
  merkleRoot,
  signAnchor,
  verifyMerkleProof,
  type StreamHead,
} from './anchor';

// The recipe of anchor.ts written out independently: leaf = H("\0" + JSON [stream, revision, hash]),
// node = H("\x01" + left + right), odd node carried up, leaves sorted by stream.
const H = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');
const leaf = (h: StreamHead): string => H(`\0${JSON.stringify([h.stream, h.revision, h.hash])}`);
const node = (l: string, r: string): string => H(`\x01${l}${r}`);

const heads: StreamHead[] = ['ticket-c', 'partner-a', 'ticket-e', 'catalog', 'unit-sale-b'].map(
  (stream, i) => ({
    stream,
    revision: i,
    hash: H(stream),
  }),
);
// Sorted: catalog, partner-a, ticket-c, ticket-e, unit-sale-b
const [cat, par, tc, te, usb] = [...heads].sort((a, b) => (a.stream < b.stream ? -1 : 1)).map(leaf);

describe('audit anchor: Merkle root, proofs, signature', () => {
  it('the root of five heads is ((0,1),(2,3)),4 over the leaves sorted by stream, whatever the input order', () => {
    const expected = node(node(node(cat!, par!), node(tc!, te!)), usb!);
    expect(merkleRoot(heads)).toBe(expected);
    expect(merkleRoot([...heads].reverse())).toBe(expected);
    expect(merkleRoot([heads[0]!])).toBe(leaf(heads[0]!));
    expect(merkleRoot([])).toBe('');
  });

  it("every stream's proof leads to the root; a changed head or a changed step does not", () => {
    const root = merkleRoot(heads);
    for (const h of heads) expect(verifyMerkleProof(h, merkleProof(heads, h.stream)!, root)).toBe(true);
    const proof = merkleProof(heads, 'ticket-e')!;
    expect(proof).toEqual([
      { side: 'left', hash: tc },
      { side: 'left', hash: node(cat!, par!) },
      { side: 'right', hash: usb },
    ]);
    const te0 = heads.find((h) => h.stream === 'ticket-e')!;
    expect(verifyMerkleProof({ ...te0, hash: H('other') }, proof, root)).toBe(false);
    expect(verifyMerkleProof({ ...te0, revision: te0.revision + 1 }, proof, root)).toBe(false);
    expect(verifyMerkleProof(te0, [proof[1]!, proof[0]!, proof[2]!], root)).toBe(false);
    expect(merkleProof(heads, 'ticket-unknown')).toBeUndefined();
  });

  it('a signed anchor verifies with its key only, and not once its payload or heads are changed', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519').publicKey;
    const anchor = signAnchor(heads, 42, '2026-11-30T12:00:00.000Z', privateKey);
    expect(anchor).toMatchObject({ format: 'ipro-repair-anchor/1', globalPosition: 42, streams: 5 });
    expect(anchorProblem(anchor, publicKey)).toBeUndefined();
    expect(anchorProblem(anchor, other)).toMatch(/signature does not verify/);
    expect(anchorProblem({ ...anchor, globalPosition: 43 }, publicKey)).toMatch(/signature does not verify/);
    expect(anchorProblem({ ...anchor, createdAt: '2026-12-01T00:00:00.000Z' }, publicKey)).toMatch(
      /signature/,
    );
    const swapped = heads.map((h) => (h.stream === 'catalog' ? { ...h, hash: H('rewritten') } : h));
    expect(anchorProblem({ ...anchor, heads: swapped }, publicKey)).toMatch(
      /do not give its signed Merkle root/,
    );
  });
});
