package org.therapykg.ci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.kernel.internal.Version;

/**
 * Runs a Neo4j Community DBMS (the server that {@code org.neo4j.test:neo4j-harness} brings in) with Bolt on a
 * loopback port and authentication on, prints one ready line and runs until SIGTERM (or SIGINT), then shuts the
 * database down cleanly.
 *
 * <p>Usage: {@code java -cp ... org.therapykg.ci.Neo4jTestServer PORT HOME}. The password of user {@code neo4j} is
 * read from the environment variable {@code NEO4J_PASSWORD}; it never appears on a command line or in the output.
 *
 * <p>It builds the DBMS with the public embedded API ({@link DatabaseManagementServiceBuilder}), which is what the
 * harness wraps, rather than with {@code Neo4jBuilders}: the harness puts the store in a random folder that it deletes
 * on close, and a test needs a server that is stopped mid-push and restarted on the same store. HOME keeps the store
 * and the logs; the start script empties it unless asked to keep the data.
 */
public final class Neo4jTestServer {

    private static final String PASSWORD_VARIABLE = "NEO4J_PASSWORD";

    private Neo4jTestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Neo4jTestServer PORT HOME   (password in $" + PASSWORD_VARIABLE + ")");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.length() < 8) {
            System.err.println("Neo4jTestServer: set $" + PASSWORD_VARIABLE + " to a password of at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(home);

        long started = System.nanoTime();
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Tests try wrong passwords on purpose; do not lock the account for them.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                // Bolt's network threads otherwise wait out a quiet period that makes every stop take ~12 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J_STOPPING");
            System.out.flush();
            dbms.shutdown();
            System.out.println("NEO4J_STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "neo4j-test-server-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (RuntimeException error) {
            System.err.println("Neo4jTestServer: could not set the password of user neo4j: " + error.getMessage());
            System.exit(1); // the shutdown hook stops the DBMS
        }

        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("NEO4J_READY bolt://" + bolt + " in " + millis + " ms (Neo4j "
                + Version.getNeo4jVersion() + " Community)");
        System.out.flush();
        stopped.await();
    }

    /** A new DBMS has user neo4j with the default password; give it ours (a restarted one may have it already). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException error) {
            if (error.getMessage() == null || !error.getMessage().contains("Old password and new password cannot be the same")) {
                throw error;
            }
        }
    }
}
