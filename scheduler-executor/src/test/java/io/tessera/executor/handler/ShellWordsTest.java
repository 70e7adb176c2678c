package io.tessera.executor.handler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellWordsTest {

    @Test
    void splitsLikeAShell() {
        assertThat(ShellWords.split("python train.py --lr 0.1")).containsExactly("python", "train.py", "--lr", "0.1");
        assertThat(ShellWords.split("  a\t b\n c  ")).containsExactly("a", "b", "c");
        assertThat(ShellWords.split("echo 'a  b' \"c  d\"")).containsExactly("echo", "a  b", "c  d");
        assertThat(ShellWords.split("sh -c 'echo \"$X\"; exit 3'")).containsExactly("sh", "-c", "echo \"$X\"; exit 3");
        assertThat(ShellWords.split("a\\ b c\\\\d \\'e")).containsExactly("a b", "c\\d", "'e");
        assertThat(ShellWords.split("\"say \\\"hi\\\" \\$HOME \\n\"")).containsExactly("say \"hi\" $HOME \\n");
        assertThat(ShellWords.split("x''y \"\" ''")).containsExactly("xy", "", "");
        assertThat(ShellWords.split("--name=\"a b\"")).containsExactly("--name=a b");
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("echo $HOME *")).containsExactly("echo", "$HOME", "*");
    }

    @Test
    void refusesUnterminatedQuotesAndTrailingBackslashes() {
        assertThatThrownBy(() -> ShellWords.split("echo 'oops")).hasMessageContaining("unterminated single quote");
        assertThatThrownBy(() -> ShellWords.split("echo \"oops")).hasMessageContaining("unterminated double quote");
        assertThatThrownBy(() -> ShellWords.split("echo oops\\")).hasMessageContaining("trailing backslash");
    }
}
