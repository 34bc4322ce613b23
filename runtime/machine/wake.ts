/**
 * The sleep of a run loop that waits in wall time (an interactive or
 * monitored run while the guest idles): it ends after a delay, or earlier
 * when input arrives or a command changes the run state.
 */

/** Something a run loop sleeps on: calling `wake` ends the current wait early. */
export interface Wakeable {
  wake: (() => void) | undefined;
}

/** Resolves after `ms`, or as soon as `w.wake()` is called, whichever comes first. */
export function waitOrWake(w: Wakeable, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      if (w.wake === done) w.wake = undefined;
      resolve();
    }
    w.wake = done;
  });
}
