/** Time is passed into the core through this port; the core never reads the system clock. */
export interface Clock {
  now(): Date;
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
