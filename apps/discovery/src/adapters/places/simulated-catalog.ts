import { x86 } from 'murmurhash3js';

/** A small seeded PRNG (mulberry32): the same seed gives the same businesses. */
export function seededRandom(seed: string): () => number {
  let a = x86.hash32(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)];

const SURNAMES = [
  'Miller',
  'Garcia',
  'Johnson',
  'Nguyen',
  'Patel',
  'Okafor',
  'Schmidt',
  'Rossi',
  'Kim',
  'Murphy',
  'Lopez',
  'Baker',
  'Walker',
  'Chen',
  'Brooks',
  'Hayes',
];
const ADJECTIVES = [
  'Golden',
  'Blue',
  'Old Town',
  'Main Street',
  'Riverside',
  'Sunny',
  'Lucky',
  'Prairie',
  'Hilltop',
  'Evergreen',
  'Red Barn',
  'Union',
];
const STREETS = [
  'Main',
  'Oak',
  'Maple',
  'Cedar',
  'Elm',
  'Washington',
  'Lincoln',
  'Park',
  'Lake',
  'Hill',
  'Church',
  'Market',
];
const STREET_TYPES = ['St', 'Ave', 'Blvd', 'Rd', 'Ln', 'Dr'];

/** Name patterns per category: `{s}` surname, `{a}` adjective, `{t}` town. */
const NAME_PATTERNS: Record<string, readonly string[]> = {
  restaurant: ["{s}'s Kitchen", 'The {a} Fork', '{t} Diner', '{a} Grill', "{s}'s Trattoria"],
  cafe: ['{a} Cup', "{s}'s Coffee House", '{t} Roasters', 'Café {s}'],
  bar: ['The {a} Tap', "{s}'s Pub", '{t} Taproom'],
  store: ['{a} Goods', "{s}'s General Store", '{t} Outfitters'],
  beauty_salon: ["{s}'s Salon", '{a} Hair Studio', '{t} Beauty Bar'],
  car_repair: ["{s}'s Auto Repair", '{a} Garage', '{t} Tire & Brake'],
  dentist: ['{t} Family Dental', 'Dr. {s} DDS', '{a} Smiles'],
  gym: ['{t} Fitness', '{a} Strength Co.', "{s}'s Boxing Gym"],
  real_estate_agency: ['{s} Realty', '{a} Homes', '{t} Property Group'],
  church: ['First Baptist Church of {t}', "St. {s}'s Parish", '{a} Community Church'],
  library: ['{t} Public Library', '{s} Memorial Library'],
  museum: ['{t} History Museum', '{s} Art Museum'],
  park: ['{a} Park', '{s} Memorial Park', '{t} City Park'],
  event_venue: ['The {a} Hall', '{t} Event Center', "{s}'s Barn Venue"],
  school: ['{t} Elementary School', '{s} Middle School', '{t} High School'],
};

export function businessName(rand: () => number, category: string, town: string): string {
  const patterns = NAME_PATTERNS[category] ?? ['{s} {c}', '{a} {c}', '{t} {c}'];
  const label = category.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
  return pick(rand, patterns)
    .replace('{s}', pick(rand, SURNAMES))
    .replace('{a}', pick(rand, ADJECTIVES))
    .replace('{t}', town)
    .replace('{c}', label);
}

export function streetAddress(rand: () => number, town: string, stateCode: string): string {
  const number = 100 + Math.floor(rand() * 9800);
  const zip = String(10000 + Math.floor(rand() * 89999));
  return `${number} ${pick(rand, STREETS)} ${pick(rand, STREET_TYPES)}, ${town}, ${stateCode} ${zip}, USA`;
}

/** How a simulated website behaves; the simulated web server reads it from the URL. */
export const SITE_KINDS = [
  'plain',
  'rss',
  'atom',
  'slow',
  'broken',
  'robots',
  'bad-feed',
  'redirect',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Share of each kind among simulated websites (sums to 1). */
const SITE_WEIGHTS: Record<SiteKind, number> = {
  plain: 0.5,
  rss: 0.14,
  atom: 0.08,
  slow: 0.04,
  broken: 0.1,
  robots: 0.05,
  'bad-feed': 0.04,
  redirect: 0.05,
};

export function siteKind(rand: () => number): SiteKind {
  let r = rand();
  for (const kind of SITE_KINDS) {
    r -= SITE_WEIGHTS[kind];
    if (r < 0) return kind;
  }
  return 'plain';
}

export const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'site';
