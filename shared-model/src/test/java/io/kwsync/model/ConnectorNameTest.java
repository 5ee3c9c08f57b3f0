package io.kwsync.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectorNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "kafka-maxcompute-sink|NULL",
            "a|NULL",
            "0abc-9|NULL",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv|NULL",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw|is 49 characters long; at most 48 are allowed",
            "''|is empty",
            "-abc|starts with a hyphen",
            "Kafka|may contain only digits, lowercase letters and hyphens",
            "a_b|may contain only digits, lowercase letters and hyphens",
            "a.b|may contain only digits, lowercase letters and hyphens",
    })
    void followsTheProductRule(String name, String problem) {
        assertEquals(problem, ConnectorName.problem(name));
    }
}
