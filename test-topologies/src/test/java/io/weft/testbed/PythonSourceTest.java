package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PythonSourceTest {

    @Test
    void theJarCarriesEveryModuleOfTheWeftbedPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/python/weftbed"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py") || n.endsWith(".sh")))
                    .containsExactlyInAnyOrderElementsOf(PythonSource.FILES);
        }
        for (String file : PythonSource.FILES) {
            assertThat(PythonSource.class.getResource("/io/weft/testbed/python/weftbed/" + file)).as(file).isNotNull();
        }
    }
}
