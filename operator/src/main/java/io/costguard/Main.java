package io.costguard;

public final class Main {
  public static void main(String[] args) {
    System.out.println("costguard");
  }
}
