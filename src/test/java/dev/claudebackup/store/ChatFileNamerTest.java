package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChatFileNamerTest {

    private static final String UUID = "08217feb-c912-40c2-9d14-f89784d61ab5";

    @Test
    void namesLikeThePythonTool() {
        assertEquals("Fixing_dry_falafel_centers-" + UUID, ChatFileNamer.slug("Fixing dry falafel centers", UUID));
        assertEquals("a_b_c_d_e_f_g_h_i_j_k_l_m-" + UUID + ".json", ChatFileNamer.jsonFileName("a<b>c:d\"e|f?g*h/i\\j k\tl\nm", UUID));
        assertEquals("x_y-" + UUID, ChatFileNamer.slug("x\ry", UUID));
    }

    @Test
    void anEmptyOrMissingNameGivesTheUuidAlone() {
        assertEquals(UUID + ".json", ChatFileNamer.jsonFileName("", UUID));
        assertEquals(UUID + ".json", ChatFileNamer.jsonFileName(null, UUID));
    }

    @Test
    void everyControlCharacterBecomesAnUnderscore() {
        String name = ChatFileNamer.slug("bell\u0007nul\u0000esc\u001bdel\u007f", UUID);
        assertEquals("bell_nul_esc_del_-" + UUID, name);
    }

    @Test
    void longNamesAreCutAtACharacterBoundaryKeepingTheUuidTail() {
        String name = ChatFileNamer.jsonFileName("é🎉".repeat(200), UUID);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 255 - BackupFolder.TEMP_PREFIX.length(), "fits with the temporary prefix: " + bytes.length);
        assertTrue(name.endsWith("-" + UUID + ".json"));
        assertEquals(name, new String(bytes, StandardCharsets.UTF_8), "still valid UTF-8: no character was split");
        assertFalse(name.contains("\uFFFD"));
    }

    @Test
    void aNameCannotLeaveItsFolder() {
        String name = ChatFileNamer.jsonFileName("../../../etc/passwd", UUID);
        assertFalse(name.contains("/"));
        assertEquals("___.._.._etc_passwd-" + UUID + ".json", name, "no leading dot either");
    }

    @Test
    void noNameStartsWithADotSoNoneIsHiddenOrTakenForATemporaryFile() {
        assertEquals("_part-x-" + UUID + ".json", ChatFileNamer.jsonFileName(".part-x", UUID));
        assertEquals("__-" + UUID + ".json", ChatFileNamer.jsonFileName("..", UUID));
        assertEquals("_hidden.name-" + UUID, ChatFileNamer.slug(".hidden.name", UUID));
    }

    @Test
    void aUuidThatIsNotCanonicalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChatFileNamer.jsonFileName("x", "../../evil"));
        assertThrows(IllegalArgumentException.class, () -> ChatFileNamer.jsonFileName("x", UUID + "/.."));
        assertThrows(IllegalArgumentException.class, () -> ChatFileNamer.slug("x", null));
        assertThrows(IllegalArgumentException.class, () -> ChatFileNamer.slug("x", "08217feb-c912-40c2-9d14-f89784d61ab"));
    }

    @Test
    void aCanonicalUuidIsEightFourFourFourTwelveAsciiHexDigits() {
        assertTrue(ChatFileNamer.isCanonicalUuid(UUID));
        assertTrue(ChatFileNamer.isCanonicalUuid(UUID.toUpperCase(Locale.ROOT)));
        assertTrue(ChatFileNamer.isCanonicalUuid("00000000-0000-0000-0000-000000000000"));
        assertFalse(ChatFileNamer.isCanonicalUuid(UUID.substring(1)));
        assertFalse(ChatFileNamer.isCanonicalUuid(UUID + "0"));
        assertFalse(ChatFileNamer.isCanonicalUuid(UUID.replace('-', '0')), "no dashes");
        assertFalse(ChatFileNamer.isCanonicalUuid("0" + UUID.substring(0, 8) + UUID.substring(9)), "a dash moved");
        assertFalse(ChatFileNamer.isCanonicalUuid("g" + UUID.substring(1)));
        assertFalse(ChatFileNamer.isCanonicalUuid("\uFF10" + UUID.substring(1)), "a fullwidth digit");
        assertFalse(ChatFileNamer.isCanonicalUuid("\u0660" + UUID.substring(1)), "an Arabic-Indic digit");
        assertFalse(ChatFileNamer.isCanonicalUuid(""));
        assertFalse(ChatFileNamer.isCanonicalUuid(null));
    }

    @Test
    void theUuidIsReadBackFromANameItGave() {
        assertEquals(Optional.of(UUID), ChatFileNamer.uuidOf(ChatFileNamer.jsonFileName("Some chat", UUID)));
        assertEquals(Optional.of(UUID), ChatFileNamer.uuidOf(UUID + ".json"));
        assertEquals(Optional.of(UUID), ChatFileNamer.uuidOf("Org-" + UUID));
        assertEquals(Optional.empty(), ChatFileNamer.uuidOf("notes.json"));
        assertEquals(Optional.empty(), ChatFileNamer.uuidOf("x" + UUID + ".json"), "the uuid must follow a dash");
    }
}
