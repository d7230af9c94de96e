package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 14's topology page in a real browser (headless chromium) over a running controller and the redgreen bed:
 * red's c1 (h1) and c2 (h2), green's c3 (h1) and c4 (h2).
 */
class TopologyPageE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("redgreen");
    /** Issue 14: "an endpoint announced over REST appears within 2 s without a reload". */
    static final Duration APPEARS_WITHIN = Duration.ofSeconds(2);

    static WeftProcess weft;
    static WeftClient api;
    HeadlessChromium browser;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        api.addNetwork("red", "vxlan", "10.65.10.0/24", "10.65.10.254");
        api.addNetwork("green", "vxlan", "10.65.10.0/24", "10.65.10.254");
        for (String c : new String[] {"c1", "c3", "c4"}) {
            api.announce(BED.container(c), BED.container(c).network());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    @BeforeEach
    void openThePage() {
        browser = new HeadlessChromium(1280, 900);
        browser.driver.get(api.root() + "/");
        await("the page shows both hosts and red's c1").atMost(E2eSupport.CONVERGE).ignoreExceptions()
                .until(() -> hostRow("h1").isDisplayed() && hostRow("h2").isDisplayed()
                        && endpoint("red/c1").isDisplayed());
    }

    @AfterEach
    void closeTheBrowser() {
        api.remove("red", "c2", true);
        browser.close();
    }

    private WebElement hostRow(String host) {
        return browser.driver.findElement(By.cssSelector("#hosts tr[data-host='" + host + "']"));
    }

    private WebElement endpoint(String id) {
        return browser.driver.findElement(By.cssSelector("button[data-endpoint='" + id + "']"));
    }

    @Test
    void showsTheHostsTheirTunnelsAndTheEndpointsOfTheRunningBed() {
        await("both hosts connected and in sync").atMost(E2eSupport.CONVERGE).ignoreExceptions().until(() ->
                hostRow("h1").getAttribute("data-state").equals("ok")
                        && hostRow("h2").getAttribute("data-state").equals("ok"));
        assertThat(hostRow("h1").getText()).contains(BED.host("h1").tunnelIp()).contains("vxlan-h2");
        assertThat(browser.driver.findElements(By.cssSelector("#graph g.host"))).hasSize(2);
        assertThat(browser.driver.findElements(By.cssSelector("#graph line[data-tunnel='h1 h2']"))).hasSize(1);
        assertThat(endpoint("red/c1").getText()).contains("10.65.10.1").contains("h1");
        assertThat(endpoint("green/c3").getText()).contains("h1");
        assertThat(endpoint("green/c4").getText()).contains("10.65.10.3").contains("h2");
    }

    @Test
    void anEndpointAnnouncedOverRestAppearsWithoutAReload() {
        assertThat(browser.driver.findElements(By.cssSelector("button[data-endpoint='red/c2']"))).isEmpty();
        BedContainer c2 = BED.container("c2");
        api.announce(c2, "red");
        await("red/c2 on the page").atMost(APPEARS_WITHIN).ignoreExceptions()
                .until(() -> endpoint("red/c2").getText().contains(c2.ip()));
    }

    @Test
    void clickingAnEndpointShowsItsDetailsAndItsHostsFlows() {
        endpoint("red/c1").click();
        await("c1's details and h1's flows").atMost(E2eSupport.CONVERGE).ignoreExceptions().until(() ->
                browser.driver.findElement(By.id("endpoint-json")).getText().contains(BED.container("c1").mac())
                        && !browser.driver.findElements(By.cssSelector("#flows tr.mine")).isEmpty());
        assertThat(browser.driver.findElement(By.id("flows-title")).getText()).contains("h1").contains("in sync");
        assertThat(browser.driver.findElements(By.cssSelector("#flows tr.mine"))).allSatisfy(row ->
                assertThat(row.getText()).containsAnyOf(BED.container("c1").mac(), "10.65.10.1"));
    }

    @Test
    void aTraceShowsTheDropBetweenRedAndGreen() {
        endpoint("red/c1").click();
        await().atMost(E2eSupport.CONVERGE).ignoreExceptions()
                .until(() -> browser.driver.findElement(By.id("details")).isDisplayed());
        browser.driver.findElement(By.id("trace-ip")).sendKeys(BED.container("c4").ip()); // green's c4
        browser.driver.findElement(By.xpath("//select[@id='trace-proto']/option[.='icmp']")).click();
        browser.driver.findElement(By.cssSelector("#trace-form button[type=submit]")).click();
        await("the trace's verdict").atMost(E2eSupport.CONVERGE).ignoreExceptions().until(() ->
                browser.driver.findElement(By.cssSelector("#trace-result [data-verdict]")).isDisplayed());
        assertThat(browser.driver.findElement(By.cssSelector("#trace-result [data-verdict]")).getText())
                .isEqualTo("dropped");
        assertThat(browser.driver.findElement(By.cssSelector("#trace-result .reason")).getText())
                .contains(BED.container("c4").ip());
        assertThat(browser.driver.findElements(By.cssSelector("#trace-result tbody tr"))).isNotEmpty();
    }
}
