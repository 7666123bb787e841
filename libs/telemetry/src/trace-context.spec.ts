import { isSampled } from './trace-context';

describe('isSampled', () => {
  const id = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7';

  it('reads the sampled flag of a W3C traceparent', () => {
    expect(isSampled({ traceparent: `${id}-01` })).toBe(true);
    expect(isSampled({ traceparent: `${id}-03` })).toBe(true);
    expect(isSampled({ traceparent: `${id}-00` })).toBe(false);
  });

  it('calls a missing or malformed traceparent unsampled', () => {
    expect(isSampled({})).toBe(false);
    expect(isSampled({ traceparent: 'garbage' })).toBe(false);
  });
});
