package org.vmlat.targets.emulated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vmlat.targets.image.Commands;

/**
 * The keys that make an emulated machine reachable with host keys checked: its sshd's host key
 * (baked into its image, its public half written to known_hosts) and vmlat's client key (its
 * public half in root's authorized_keys there). Generated once per image with ssh-keygen.
 *
 * @param identity the client's private key; {@code identity + ".pub"} is authorized
 * @param hostKey  the machine's private host key; {@code hostKey + ".pub"} goes to known_hosts
 */
public record SshKeys(Path identity, Path hostKey) {
    /** The keys under {@code dir}, generated where missing. */
    public static SshKeys in(Path dir, String hostComment) throws IOException {
        Files.createDirectories(dir);
        SshKeys k = existing(dir);
        keygen(k.hostKey(), hostComment);
        keygen(k.identity(), "vmlat");
        return k;
    }

    /** The key paths under {@code dir}, without generating anything. */
    public static SshKeys existing(Path dir) {
        return new SshKeys(dir.resolve("id_ed25519"), dir.resolve("ssh_host_ed25519_key"));
    }

    public Path authorizedKey() {
        return Path.of(identity + ".pub");
    }

    public Path knownHostKey() {
        return Path.of(hostKey + ".pub");
    }

    private static void keygen(Path key, String comment) {
        if (Files.exists(key)) return;
        Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()), null, 60);
    }
}
