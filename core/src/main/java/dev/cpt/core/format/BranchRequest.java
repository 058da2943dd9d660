package dev.cpt.core.format;

/**
 * A request to fork a decayed branch now: the body of {@code POST /v1/branches} and the value of a
 * record on {@code cpt.control} (JSON). Every field is optional; an absent one takes the
 * configured default ({@code cpt.branch.*}). The trainer validates the combination and answers
 * (HTTP) or logs and counts (topic) a refusal with its reason.
 *
 * @param shape decay shape: linear, cosine, one-minus-sqrt, exponential, inverse-sqrt
 * @param steps decay length in steps (wins over {@code fraction})
 * @param fraction decay length as a fraction of the tokens since the previous branch, in (0, 1]
 * @param floor end learning rate as a fraction of the learning rate at the fork, in [0, 1]
 * @param data upcoming, replay, or mix:stream:weight,...
 * @param note free text kept in the logs, e.g. who asked
 */
public record BranchRequest(String shape, Long steps, Double fraction, Double floor, String data, String note) {

    public static final BranchRequest DEFAULTS = new BranchRequest(null, null, null, null, null, null);

    /** Numbers must be numbers and whole steps whole: {"steps": 1.5} or {"steps": "50"} are errors, not 1 and 50. */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = Json.MAPPER.copy()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);

    /**
     * A request from its JSON text; empty = {@link #DEFAULTS}.
     *
     * @throws java.io.IOException for anything but a JSON object of these fields with values of their types
     */
    public static BranchRequest parse(byte[] json) throws java.io.IOException {
        if (json == null || json.length == 0) {
            return DEFAULTS;
        }
        BranchRequest r = STRICT.readValue(json, BranchRequest.class);
        if (r == null) {
            throw new java.io.IOException("null is not a JSON object");
        }
        return r;
    }
}
