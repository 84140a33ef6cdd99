package io.costguard.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Files packaged in the jar (the CRDs and examples), read in name order. */
public final class Bundled {
    private Bundled() {}

    /** Contents of the YAML files under {@code folder} (e.g. {@code costguard/crds}). */
    public static List<String> yamlFiles(String folder) throws IOException {
        URL url = Bundled.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IOException(folder + " is not packaged in this jar; rebuild it with mvn package");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return read(fs.getPath(folder));
            }
            return read(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static List<String> read(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    out.add(Files.readString(p));
                }
            }
        }
        return out;
    }
}
