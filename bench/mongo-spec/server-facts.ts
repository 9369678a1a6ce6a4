// What runOnRequirements are checked against: the server's version and topology, asked of the
// server itself (the embedded one answers as a standalone MongoDB 7.0.0).
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';

export interface ServerFacts {
  readonly version: number[];
  readonly topology: 'single' | 'replicaset' | 'sharded';
}

export async function serverFacts(uri: string): Promise<ServerFacts> {
  const client = new MongoClient(uri);
  try {
    const admin = client.db('admin');
    const info = await admin.command({ buildInfo: 1 });
    const hello = await admin.command({ hello: 1 });
    const topology = hello.msg === 'isdbgrid' ? 'sharded' : hello.setName ? 'replicaset' : 'single';
    return { version: parseVersion(String(info.version)), topology };
  } finally {
    await client.close();
  }
}

function parseVersion(text: string): number[] {
  return text
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Undefined when one of the alternatives is met (or there are none), else why none is. */
export function unmetRequirement(requirements: Document[] | undefined, facts: ServerFacts): string | undefined {
  if (!requirements || requirements.length === 0) return undefined;
  const reasons: string[] = [];
  for (const requirement of requirements) {
    const reason = unmetOne(requirement, facts);
    if (reason === undefined) return undefined;
    reasons.push(reason);
  }
  return reasons.join(' / ');
}

function unmetOne(requirement: Document, facts: ServerFacts): string | undefined {
  const { minServerVersion, maxServerVersion, topologies, serverless, auth, csfle, serverParameters } = requirement;
  if (minServerVersion && compareVersions(facts.version, parseVersion(String(minServerVersion))) < 0)
    return `needs server ≥ ${String(minServerVersion)}`;
  if (maxServerVersion && compareVersions(facts.version, parseVersion(String(maxServerVersion))) > 0)
    return `needs server ≤ ${String(maxServerVersion)}`;
  if (Array.isArray(topologies) && !topologies.includes(facts.topology))
    return `needs topology ${topologies.join('|')}`;
  if (serverless === 'require') return 'needs serverless';
  if (auth === true) return 'needs auth';
  if (csfle === true) return 'needs csfle';
  if (serverParameters !== undefined) return 'needs server parameters';
  return undefined;
}
