/**
 * The `FLAGS_EMERGENCY_STOP` environment override: `true`, `1`, `all` or `*` stops every flag;
 * a comma-separated list of names stops those; empty, `false` or `0` stops none.
 */
export interface EmergencyOverride {
  all: boolean;
  flags: ReadonlySet<string>;
}

export function parseEmergencyOverride(value: string | undefined): EmergencyOverride {
  const text = (value ?? '').trim();
  if (text === '' || /^(false|0|no|off)$/i.test(text)) return { all: false, flags: new Set() };
  if (/^(true|1|yes|on|all|\*)$/i.test(text)) return { all: true, flags: new Set() };
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return { all: false, flags: new Set(names) };
}

export function overrideStops(override: EmergencyOverride, flag: string): boolean {
  return override.all || override.flags.has(flag);
}

export function emergencyOverrideFromEnv(env: NodeJS.ProcessEnv = process.env): EmergencyOverride {
  return parseEmergencyOverride(env.FLAGS_EMERGENCY_STOP);
}
