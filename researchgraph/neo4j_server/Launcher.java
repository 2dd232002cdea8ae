// Starts a real embedded Neo4j Community server with Bolt, for local development and CI
// machines that have Java and Maven but no Docker. Run as a single-file program:
//
//   java --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
//        --add-opens=java.base/java.io=ALL-UNNAMED -cp 'LIB/*' Launcher.java HOME PORT [PAGECACHE]
//
// PAGECACHE (e.g. "512m", "1g") may also come from -Dneo4j.pagecache=...; the argument wins.
// The process runs until SIGTERM/SIGINT, then shuts the database down cleanly.

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher HOME PORT [PAGECACHE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String pagecache = args.length > 2 ? args[2] : System.getProperty("neo4j.pagecache", "512m");

        DatabaseManagementService managementService = new DatabaseManagementServiceBuilder(home)
                // Bind to loopback only: auth is off, so the server must not be reachable from outside.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // The default sizes the page cache from machine RAM; keep it modest on shared CI hosts.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                // Bolt's shutdown otherwise idles 2 x 5 s after the databases are already
                // checkpointed and closed; 1 s each makes stop take ~2 s instead of ~10 s.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        // SIGTERM runs shutdown hooks: flush and close the store so the next start needs no recovery.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Neo4j launcher: shutting down");
            managementService.shutdown();
            System.out.println("Neo4j launcher: stopped");
            stopped.countDown();
        }, "neo4j-shutdown"));

        System.out.println("Neo4j launcher: started, bolt://127.0.0.1:" + port + " home=" + home
                + " pagecache=" + pagecache);
        System.out.flush();
        // The builder's threads are not all non-daemon; park main so the JVM stays up until a signal.
        stopped.await();
    }
}
