package dev.faascell.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to a node, requests sent one after another on its socket: what a
 * latency benchmark uses, so that it measures the server and not a client library (the JDK's
 * HttpClient, under {@link FaascellClient}, adds several thread hand-offs per request).
 */
public final class KeepAliveConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** One response: status and body. */
  public record Response(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public KeepAliveConnection(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  public Response send(String method, String path, byte[] body) throws IOException {
    String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    out.write(request);
    out.flush();
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (header.substring(0, colon).equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(header.substring(colon + 1).strip());
      }
    }
    if (length < 0) {
      throw new IOException("the benchmark client needs a Content-Length");
    }
    return new Response(status, in.readNBytes(length));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
