package io.kwsync.ingest.job;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** ingest-service as an hourly job connector (DataWorks' hourly example), in GMT+8. */
public class JobModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("kwsync.ingest.mode", "job"),
                Map.entry("kwsync.rows.topic-partitions", "3"),
                Map.entry("kwsync.job.parameters",
                        "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]"),
                Map.entry("kwsync.job.destination-partition", "ds=${partition}"),
                Map.entry("kwsync.job.time-zone", "GMT+08:00"),
                Map.entry("kwsync.job.schedule", "hour"),
                Map.entry("kwsync.job.schedule-start", "00:15"),
                Map.entry("kwsync.job.rerun-times", "3"),
                Map.entry("kwsync.job.rerun-interval", "2m"));
    }
}
