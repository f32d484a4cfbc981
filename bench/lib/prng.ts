/**
 * A small seeded PRNG (mulberry32) so the same --seed always produces the same dataset on every engine:
 * Math.random would make two runs incomparable.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * A UUIDv7 for a given time (like the app's own ids): time-ordered keys keep the benchmark's index
   * locality as realistic as production's.
   */
  uuidv7(at: number): string {
    const ms = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0');
    const hex = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
      return s;
    };
    const variant = (8 + Math.floor(this.next() * 4)).toString(16);
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
}

const WORDS = (
  'the a to and of in is it you that for on with my order was not this have be are can your please thanks hello ' +
  'help issue account payment refund delivery package tracking number invoice subscription plan upgrade cancel ' +
  'password login error email phone address shipping return exchange product size color missing damaged late ' +
  'support agent ticket update status today tomorrow yesterday week month still waiting received charged twice ' +
  'card bank transfer discount coupon code price store online app website mobile notification settings reset ' +
  'question answer problem solved sorry understand check again soon team manager request information details'
).split(' ');

/** Natural-looking text of about `length` characters from a fixed word list. */
export function words(rng: Prng, length: number): string {
  const out: string[] = [];
  let size = 0;
  while (size < length) {
    const w = rng.pick(WORDS);
    out.push(w);
    size += w.length + 1;
  }
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1, length) + '.';
}

const FIRST = [
  'Ana',
  'Ben',
  'Chen',
  'Dara',
  'Eli',
  'Fatima',
  'Goran',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Yara',
  'Zoe',
];
const LAST = [
  'Smith',
  'Garcia',
  'Nguyen',
  'Müller',
  'Rossi',
  'Kowalski',
  'Okafor',
  'Tanaka',
  'Silva',
  'Dubois',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Khan',
  'Lopez',
  'Moreau',
];

export function personName(rng: Prng): string {
  return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}
