package io.kwsync.sink.jdbc.dialect;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes loaded by name at run time that a native executable must keep: the JDBC drivers Agroal instantiates from
 * {@link SqlDialect#driverClass()}, since the pool is built in code rather than from a Quarkus datasource. The
 * Quarkus JDBC extensions register them too; this keeps it true if that ever changes.
 */
@RegisterForReflection(targets = {com.mysql.cj.jdbc.Driver.class, org.postgresql.Driver.class})
final class DriverReflection {

    private DriverReflection() {
    }
}
