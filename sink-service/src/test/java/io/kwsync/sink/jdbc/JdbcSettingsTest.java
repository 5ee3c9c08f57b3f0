package io.kwsync.sink.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JdbcSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:mysql://127.0.0.1:3306/kwsync|false",
            "jdbc:postgresql://db.example:5432/kwsync?sslmode=require&user=app|false",
            "jdbc:mysql://host/db?useSSL=true&trustCertificateKeyStoreUrl=file:/x|false",
            "jdbc:mysql://app:secret@host:3306/db|true",
            "jdbc:mysql:loadbalance://app:secret@h1,h2/db|true",
            "jdbc:postgresql://host/db?user=app&password=secret|true",
            "jdbc:mysql://host/db?Password=secret|true",
            "jdbc:mysql://(host=h,port=3306,password=secret)/db|true",
    })
    void aPasswordInTheUrlIsFound(String url, boolean expected) {
        assertEquals(expected, JdbcSettings.hasPassword(url), url);
    }
}
