import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local on 127.0.0.1 only. DynamoDB Local has no host option and listens on every
 * interface; this starts the same server from the same command-line options (local/dynamodb-local.ts),
 * binds its Jetty connector to the loopback address before it starts, and skips telemetry.
 * Run in Java's source-file mode (`java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java ...`),
 * which needs a JDK; with a JRE only, the stack runs the jar itself and relies on its per-install
 * credentials (see docs/security.md).
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    System.out.println("caseflow: DynamoDB Local listening on 127.0.0.1 only");
    proxy.join();
  }
}
