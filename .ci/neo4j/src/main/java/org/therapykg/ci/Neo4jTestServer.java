package org.therapykg.ci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts a Neo4j Community server (the official test harness) with Bolt on a loopback port and authentication on,
 * prints one ready line and runs until SIGTERM (or SIGINT), then shuts the database down cleanly. WORKDIR
 * keeps the store and the logs; the start script empties it before each start.
 *
 * <p>Usage: {@code java -cp ... org.therapykg.ci.Neo4jTestServer PORT WORKDIR}. The password of user {@code neo4j} is
 * read from the environment variable {@code NEO4J_PASSWORD}; it never appears on a command line or in the output.
 */
public final class Neo4jTestServer {

    private static final String PASSWORD_VARIABLE = "NEO4J_PASSWORD";

    private Neo4jTestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Neo4jTestServer PORT WORKDIR   (password in $" + PASSWORD_VARIABLE + ")");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.length() < 8) {
            System.err.println("Neo4jTestServer: set $" + PASSWORD_VARIABLE + " to a password of at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(workDir);

        long started = System.nanoTime();
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                // Tests try wrong passwords on purpose; do not lock the account for them.
                .withConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                // Bolt's network threads otherwise wait out a quiet period that makes every stop take ~12 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        // The harness creates user neo4j with the default password; give it ours, with no change required.
        neo4j.databaseManagementService()
                .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J_STOPPING");
            System.out.flush();
            neo4j.close();
            System.out.println("NEO4J_STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "neo4j-test-server-shutdown"));

        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("NEO4J_READY " + neo4j.boltURI() + " in " + millis + " ms (Neo4j "
                + org.neo4j.kernel.internal.Version.getNeo4jVersion() + ")");
        System.out.flush();
        stopped.await();
    }
}
