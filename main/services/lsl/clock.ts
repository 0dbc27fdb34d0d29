/**
 * The LSL clock: liblsl's `lsl_local_clock()` is `std::chrono::steady_clock` in seconds.
 *
 * - Linux: steady_clock = CLOCK_MONOTONIC; Node's `process.hrtime` (libuv `uv_hrtime`) reads
 *   CLOCK_MONOTONIC too. Verified on this machine against pylsl.local_clock() (notes §8).
 * - Windows: MSVC's steady_clock reads QueryPerformanceCounter; libuv's uv_hrtime on Windows
 *   reads QueryPerformanceCounter as well, scaled by QueryPerformanceFrequency: the same counter.
 * - macOS: libc++'s steady_clock reads `clock_gettime_nsec_np(CLOCK_UPTIME_RAW)`; libuv's
 *   uv_hrtime reads `mach_absolute_time()` scaled by mach_timebase_info, which is the same
 *   uptime-raw counter (it stops while the machine sleeps, like liblsl's).
 *
 * So same-host recordings line up without correction. Windows and macOS were read from the
 * sources, not measured here; and any constant offset is measured anyway by LSL's time
 * correction (LabRecorder stores it in the XDF file), so the recording stays right even if a
 * platform's clocks differ.
 */
export type LslClock = () => number;

/** Seconds on liblsl's clock (monotonic, since boot on Linux). */
export const lslLocalClockS: LslClock = () => Number(process.hrtime.bigint()) / 1e9;
