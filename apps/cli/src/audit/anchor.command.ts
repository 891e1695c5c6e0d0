import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

import { Command, CommandRunner } from 'nest-commander';

import { CliInputError, out, runCommand, storeLabel, withStore } from '../cli-context';
import { ConfiguredCommand } from '../configured-command';
import { CommandOptions } from '../command-options';
import { merkleProof, readHeads, signAnchor, type Anchor } from './anchor';
import { ticketStreamOf } from './ticket-history';

export async function readKey(
  path: string | undefined,
  kind: 'private' | 'public',
  flag: string,
): Promise<KeyObject> {
  if (!path) throw new CliInputError(`${flag} <pem file> is required`);
  const pem = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new CliInputError(`${flag}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  });
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key`);
    return key;
  } catch (e) {
    throw new CliInputError(
      `${flag}: ${path} is not an Ed25519 ${kind} key in PEM (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

export async function readAnchor(path: string | undefined, flag: string): Promise<Anchor> {
  if (!path) throw new CliInputError(`${flag} <anchor file> is required`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Anchor;
  } catch (e) {
    throw new CliInputError(
      `${flag}: cannot read ${path} as an anchor: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

interface AnchorOptions {
  key?: string;
  out?: string;
}

/** `anchor --key <ed25519 private key pem> [--out <file>]`: a signed checkpoint of every stream's head. */
@Command({
  name: 'anchor',
  description:
    'Write a signed checkpoint (every stream head hash, their Merkle root, the global position, the time) to keep outside the database',
})
@CommandOptions(
  { flags: '--key <file>', description: 'Ed25519 private key (PEM) that signs the anchor' },
  { flags: '--out <file>', description: 'write the anchor here (default: stdout)' },
)
export class AnchorCommand extends ConfiguredCommand {
  async run(_params: string[], options: AnchorOptions = {}): Promise<void> {
    await runCommand(async () => {
      const key = await readKey(options.key, 'private', '--key');
      const config = this.settings.store();
      const createdAt = new Date().toISOString();
      const anchor = await withStore(config, async (store) => {
        const { heads, globalPosition } = await readHeads(store);
        return signAnchor(heads, globalPosition, createdAt, key);
      });
      const text = `${JSON.stringify(anchor, null, 2)}\n`;
      if (options.out) {
        await writeFile(options.out, text, 'utf8');
        out(
          `ANCHOR: ${anchor.streams} stream(s) up to position ${anchor.globalPosition} of ${storeLabel(config)}, ` +
            `root ${anchor.root}, written to ${options.out}`,
        );
      } else process.stdout.write(text);
    });
  }
}

/** `anchor-proof <anchor file> <ticket id | stream>`: what an auditor needs to check one ticket. */
@Command({
  name: 'anchor-proof',
  arguments: '<anchorFile> <ticketOrStream>',
  description:
    "Print one ticket's anchored head and its Merkle proof to the anchor's signed root (JSON), to check a ticket alone",
})
export class AnchorProofCommand extends CommandRunner {
  async run([file, subject]: string[]): Promise<void> {
    await runCommand(async () => {
      const anchor = await readAnchor(file, 'anchor file');
      if (!subject) throw new CliInputError('ticket id or stream missing');
      const { stream } = ticketStreamOf(subject);
      const head = anchor.heads.find((h) => h.stream === stream);
      const proof = merkleProof(anchor.heads, stream);
      if (!head || !proof) throw new CliInputError(`the anchor has no stream ${stream} (it began later?)`);
      const { heads: _all, ...signed } = anchor;
      out(JSON.stringify({ anchor: signed, head, proof }, null, 2));
    });
  }
}
