package io.syncnode;

import io.syncnode.config.UsageException;
import java.nio.file.Path;

/** The node's command line: {@code [--conf FILE] | --help | --version}. */
record NodeArguments(Path conf, boolean help, boolean version) {
  static final String USAGE = String.join("\n",
      "usage: java -jar syncnode.jar [--conf FILE]       run a node",
      "       java -jar syncnode.jar bench [OPTIONS]     drive a server and report what it carried (bench --help)",
      "       java -jar syncnode.jar admin COMMAND       manage tenants' API keys (admin --help)",
      "       java -jar syncnode.jar --version | --help",
      "",
      "  --conf FILE   configuration file (JSON); default conf/node.json when present, else the built-in",
      "                defaults. SYNCNODE_* environment variables override either (e.g. SYNCNODE_HTTP_PORT).",
      "  --version     print the version and exit",
      "  -h, --help    print this and exit");

  /** Parses the arguments; throws {@link UsageException} for anything it does not know. */
  static NodeArguments parse(String... args) {
    Path conf = null;
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> help = true;
        case "--version" -> version = true;
        case "--conf" -> {
          if (i + 1 >= args.length || args[i + 1].isEmpty()) {
            throw new UsageException("--conf: needs a FILE");
          }
          conf = Path.of(args[++i]);
        }
        default -> {
          if (arg.startsWith("--conf=") && arg.length() > "--conf=".length()) {
            conf = Path.of(arg.substring("--conf=".length()));
          } else {
            throw UsageException.unexpected(arg);
          }
        }
      }
    }
    return new NodeArguments(conf, help, version);
  }
}
