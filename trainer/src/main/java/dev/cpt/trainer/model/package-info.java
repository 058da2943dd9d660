/**
 * The language model: {@link dev.cpt.trainer.model.GptConfig} (presets {@code tiny}, {@code small},
 * {@code base}; parameter and FLOP counts), {@link dev.cpt.trainer.model.Gpt} (a GPT-2-style
 * pre-LayerNorm decoder as a DJL block, deterministic GPT-2 initialisation, stable parameter
 * names, exact in-place copy, save/load), {@link dev.cpt.trainer.model.ParameterGroup} (the
 * depth-independent classification of parameters used for weight decay and telemetry),
 * {@link dev.cpt.trainer.model.SafeTensors} (the float32 file format of model and optimizer
 * state) and {@link dev.cpt.trainer.model.Autograd} (per-thread gradient mode, zeroing gradients).
 *
 * <p>Parameter names (the checkpoint contract): {@code wte}, {@code wpe},
 * {@code h<i>.ln1.gamma|beta}, {@code h<i>.attn.qkv.weight|bias}, {@code h<i>.attn.out.weight|bias},
 * {@code h<i>.ln2.gamma|beta}, {@code h<i>.mlp.in.weight|bias}, {@code h<i>.mlp.out.weight|bias},
 * {@code lnf.gamma|beta}.
 */
package dev.cpt.trainer.model;
