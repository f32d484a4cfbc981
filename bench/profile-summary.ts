// Self time of a `node --cpu-prof` profile by package (node_modules/<name>), by our code (apps/*, packages/*, bench)
// and by Node internals, largest first: `node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(url: string, fn: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = /\/(apps\/[^/]+|packages\/[^/]+|bench)\//.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:') || url === '')
    return fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)' ? fn : 'node internals';
  return 'other';
}

const [file, top = '15'] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const bucket = new Map(profile.nodes.map((n) => [n.id, bucketOf(n.callFrame.url, n.callFrame.functionName)]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const b = bucket.get(id) ?? 'other';
  self.set(b, (self.get(b) ?? 0) + us);
  if (b !== '(idle)') total += us;
});
console.log(`busy ${(total / 1e6).toFixed(1)} s (idle excluded)`);
for (const [b, us] of [...self]
  .filter(([b]) => b !== '(idle)')
  .sort((x, y) => y[1] - x[1])
  .slice(0, Number(top)))
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(6)} s  ${b}`);
