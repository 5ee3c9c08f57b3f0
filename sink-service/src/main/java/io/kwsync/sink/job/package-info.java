/**
 * Window jobs on the sink side. {@link io.kwsync.sink.job.JobProtocol} decides, as a pure function of a run's recorded
 * {@link io.kwsync.sink.job.RunState} and a poll's items, what happens to the run; {@link io.kwsync.sink.job.JobRuns}
 * carries it out with a destination's {@link io.kwsync.sink.job.JobStaging} and
 * {@link io.kwsync.sink.job.RunStateStore}; {@link io.kwsync.sink.job.JobLoads} hands the items over and publishes each
 * decision. Uses the service's root package and {@code config}; names no destination.
 */
package io.kwsync.sink.job;
