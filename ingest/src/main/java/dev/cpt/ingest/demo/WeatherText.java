package dev.cpt.ingest.demo;

import java.util.List;

/**
 * {@code demo-weather}: a weather diary in plain English built from a few sentence templates and
 * small vocabularies, e.g. "On monday the sky over lisbon was grey and the wind came from the
 * north." Lower-case letters and spaces dominate its bytes. Structure to learn beyond spelling:
 * each paragraph is the next day of the week after the one before, and a diary keeps returning to
 * its home town, so earlier text predicts later text. A few place names are not ASCII, so byte
 * level models see multi-byte UTF-8 sequences too.
 */
final class WeatherText implements TextGenerator {

    private static final List<String> DAYS = List.of(
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
    private static final List<String> TOWNS = List.of(
            "lisbon", "oslo", "porto", "lyon", "bergen", "galway", "quito", "hobart", "nagoya", "perth",
            "tallinn", "dundee", "malmö", "zürich", "kraków", "cádiz", "tromsø", "são paulo");
    private static final List<String> SKIES = List.of(
            "grey", "clear", "pale blue", "heavy", "white", "dark", "bright", "silver", "low");
    private static final List<String> WINDS = List.of(
            "north", "south", "east", "west", "north east", "north west", "south east", "south west", "sea");
    private static final List<String> FALLS = List.of("rain", "snow", "hail", "drizzle", "sleet", "fog", "mist");
    private static final List<String> PARTS = List.of("morning", "afternoon", "evening", "night");
    private static final List<String> TIMES = List.of("noon", "midnight", "dawn", "dusk", "lunch", "supper");
    private static final List<String> CHANGES = List.of(
            "stopped", "eased", "grown heavier", "drifted inland", "moved out to sea", "settled in");
    private static final List<String> TEMPERATURES = List.of(
            "minus five", "minus two", "zero", "two", "three", "five", "seven", "nine", "eleven", "twelve",
            "fourteen", "sixteen", "eighteen", "twenty", "twenty two", "twenty five", "thirty");
    private static final List<String> WATCHERS = List.of(
            "fishermen", "farmers", "children", "the old ferryman", "the baker", "two walkers", "the postman");
    private static final List<String> WIND_KINDS = List.of("cold", "soft", "warm", "sharp", "steady", "gusty", "dry");

    @Override
    public String text(long number, SplitMix64 rng) {
        String home = rng.pick(TOWNS);
        int day = rng.below(DAYS.size());
        DocumentText out = new DocumentText(rng);
        out.append("Weather diary " + number + ", kept in " + home + ".\n");
        while (!out.full()) {
            StringBuilder paragraph = new StringBuilder("\n");
            paragraph.append(opening(DAYS.get(day), home, rng));
            int more = rng.between(1, 4);
            for (int i = 0; i < more; i++) {
                // mostly the home town: the repetition is learnable context for the model
                String town = rng.chance(0.7) ? home : rng.pick(TOWNS);
                paragraph.append(' ').append(sentence(DAYS.get(day), town, rng));
            }
            out.append(paragraph.append('\n').toString());
            day = (day + 1) % DAYS.size();
        }
        return out.toString();
    }

    private static String opening(String day, String town, SplitMix64 rng) {
        return "On " + day + " the sky over " + town + " was " + rng.pick(SKIES)
                + " and the wind came from the " + rng.pick(WINDS) + ".";
    }

    private static String sentence(String day, String town, SplitMix64 rng) {
        return switch (rng.below(6)) {
            case 0 -> "By " + rng.pick(TIMES) + " the " + rng.pick(FALLS) + " over " + town + " had "
                    + rng.pick(CHANGES) + ".";
            case 1 -> "The forecast for " + town + " promised " + rng.pick(FALLS) + " in the " + rng.pick(PARTS)
                    + " and " + rng.pick(TEMPERATURES) + " degrees.";
            case 2 -> "In the " + rng.pick(PARTS) + " the temperature in " + town + " "
                    + (rng.chance(0.5) ? "rose" : "fell") + " to " + rng.pick(TEMPERATURES) + " degrees.";
            case 3 -> capitalized(rng.pick(WATCHERS)) + " in " + town + " watched " + rng.pick(SKIES)
                    + " clouds drift to the " + rng.pick(WINDS) + " all " + rng.pick(PARTS) + ".";
            case 4 -> "There was no " + rng.pick(FALLS) + " in " + town + " on " + day + ", only a "
                    + rng.pick(WIND_KINDS) + " wind from the " + rng.pick(WINDS) + ".";
            default -> "It was " + rng.pick(TEMPERATURES) + " degrees in " + town + " at " + rng.pick(TIMES)
                    + " and the " + rng.pick(FALLS) + " did not come.";
        };
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
