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
}
