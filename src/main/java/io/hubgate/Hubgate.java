package io.hubgate;

public final class Hubgate {
    public static void main(String[] args) {
        System.out.println("hubgate");
    }
}
