package io.asyncbench.harness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which JVM on which machine: what a benchmark records about a server it did not start. */
public final class HostFacts {

    private HostFacts() {
    }

    static Map<String, String> ofThisJvm() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("hostName", hostName());
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        facts.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("jvm", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                + " " + Runtime.version());
        facts.put("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
        return facts;
    }

    /** This host's name, or "unknown" when it has none a resolver can give. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            return "unknown";
        }
    }
}
