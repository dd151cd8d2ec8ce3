package io.hubgate.routing;

import static io.hubgate.routing.TestRoutes.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allocation-free segment key of {@link RouteTrie#lookup}: it must find exactly what a substring finds
 * (behaviour is also compared with a brute-force reference in {@link RouteLookupPropertyTest}), and a lookup
 * must not allocate per segment.
 */
class RouteTrieLookupTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "user", "a b", "秀樹", "😀x", "%", "Aa", "BB", "a-very-long-segment-name-0123456789"})
    void segmentKeyHashesAndMatchesLikeTheSubstring(String segment) {
        String path = "/x/" + segment + "/y";
        int start = 3;
        int end = start + segment.length();
        RouteTrie.SegmentKey key = new RouteTrie.SegmentKey(path).of(start, end);
        assertThat(key.hashCode()).isEqualTo(segment.hashCode());
        assertThat(key.equals(segment)).isTrue();
        assertThat(key.equals(segment + "z")).isFalse();
        assertThat(key.equals("z" + segment)).isFalse();
        assertThat(key.toString()).isEqualTo(segment);

        Map<String, Integer> chm = new ConcurrentHashMap<>();
        Map<String, Integer> hm = new HashMap<>();
        for (String other : new String[] {"", "a", "b", "user", "Aa", "BB", "x"}) {
            chm.put(other, other.length());
            hm.put(other, other.length());
        }
        chm.put(segment, -1);
        hm.put(segment, -1);
        assertThat(chm.get(key)).isEqualTo(-1);
        assertThat(hm.get(key)).isEqualTo(-1);
        chm.remove(segment);
        assertThat(chm.get(key)).isNull();
    }

    @Test
    void hashCollisionsAreTellApart() {
        // "Aa" and "BB" have the same String hash.
        Map<String, String> chm = new ConcurrentHashMap<>();
        chm.put("Aa", "Aa");
        chm.put("BB", "BB");
        String path = "/Aa/BB";
        assertThat(chm.get(new RouteTrie.SegmentKey(path).of(1, 3))).isEqualTo("Aa");
        assertThat(chm.get(new RouteTrie.SegmentKey(path).of(4, 6))).isEqualTo("BB");
        RouteTrie trie = new RouteTrie();
        trie.put(keyed("/Aa"));
        assertThat(trie.lookup("/BB")).isNull();
        assertThat(trie.lookup("/Aa/BB").path()).isEqualTo("/Aa");
    }

    @Test
    void aLookupDoesNotAllocatePerSegment() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        RouteTrie trie = new RouteTrie();
        for (int i = 0; i < 1_000; i++) {
            trie.put(keyed("/user/u" + i));
        }
        trie.put(keyed("/user/alice/lab/tree/work/notebooks"));
        String path = "/user/alice/lab/tree/work/notebooks/analysis.ipynb"; // 7 segments
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += trie.lookup(path).path().length();
        }
        long tid = Thread.currentThread().getId();
        int lookups = 200_000;
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < lookups; i++) {
            sink += trie.lookup(path).path().length();
        }
        long perLookup = (threads.getThreadAllocatedBytes(tid) - before) / lookups;
        assertThat(sink).isPositive();
        // A substring per segment costs about 48 bytes each (String + byte[]), over 300 bytes here; the segment
        // key is one 32-byte object per lookup, or nothing once escape analysis removes it.
        assertThat(perLookup).as("bytes allocated per lookup").isLessThanOrEqualTo(40);
    }
}
