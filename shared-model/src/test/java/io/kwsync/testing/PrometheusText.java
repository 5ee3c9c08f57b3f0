package io.kwsync.testing;

/** Reads one sample from Prometheus text output, whichever exposition flavour the server chose. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The value of the series {@code name} whose label set contains {@code labels} (e.g. {@code service="sink"}; empty
     * for any), or NaN when absent.
     */
    public static double value(String text, String name, String labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) continue;
            String rest = line.substring(name.length());
            String labelPart = "";
            if (rest.startsWith("{")) {
                int end = rest.indexOf('}');
                labelPart = rest.substring(1, end);
                rest = rest.substring(end + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // a longer metric name with the same prefix
            }
            if (!labelPart.contains(labels)) continue;
            return Double.parseDouble(rest.trim().split(" ")[0]);
        }
        return Double.NaN;
    }
}
