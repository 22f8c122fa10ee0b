"""English strings of the Action choice and Cross-entropy tabs and of the additions to
Compare and Gradients (keys ``act.``, ``ce.``, ``cmp.ml_``, ``cmp.ovr_``, ``cmp.relu_``,
``grad.d_``, ``grad.s_``, ``grad.fd_`` and their ``what.`` words), merged into :mod:`.en`.
"""

from __future__ import annotations

STRINGS: dict[str, str] = {
    "tab.action": "Action choice",
    "act.intro": (
        "A **multi-armed bandit**: each arm pays its own mean reward plus noise, and the agent "
        "does not know the means. It keeps an average of what each arm paid and chooses with a "
        "policy: **softmax** (Boltzmann) picks arm a with probability softmax(Q / T)ₐ, so a "
        "nearly-best arm is tried often and a clearly bad one rarely; **ε-greedy** takes the "
        "best-looking arm and, with probability ε, any arm at random; **uniform** never learns. "
        "Regret is what the agent lost against always pulling the best arm."
    ),
    "act.arms": "Arms",
    "act.steps": "Steps per run",
    "act.runs": "Runs (averaged)",
    "act.temperature": "Softmax temperature T",
    "act.epsilon": "ε of ε-greedy",
    "act.seed": "Seed",
    "act.run": "Run the bandit",
    "act.err_int": "The {what} must be a whole number from {low} to {high}; got {value}.",
    "act.settings": (
        "{arms} arms, {steps} steps, mean of {runs} runs; T = {t}, ε = {eps}, seed {seed}. "
        "The best arm is {best} (★)."
    ),
    "act.regret_title": "Cumulative regret (lower is better)",
    "act.regret_note": (
        "Uniform choice loses the same amount at every step, so its line is straight; a policy "
        "that learns bends its line flat."
    ),
    "act.regret_axis": "regret",
    "act.step": "step",
    "act.prob_axis": "probability",
    "act.policy_title": "The softmax policy's probabilities per step",
    "act.policy_note": (
        "Each colour is one arm; the height of its band is the probability softmax(Q / T) gives "
        "it (mean over runs). At a large T the bands stay equal (uniform); at a small T the best "
        "arm's band grows to fill the chart."
    ),
    "act.summary_title": "Summary",
    "act.policy": "policy",
    "act.final_regret": "regret after the last step",
    "act.best_rate": "best arm chosen (last steps)",
    "act.tail_note": "The last column averages the final {tail} steps.",
    "act.probs_title": "Softmax probabilities of each arm at a few steps",
    "act.arm": "arm",
    "act.mean": "true mean",
    "act.at_step": "step {step}",
    "act.policy_softmax": "softmax (Boltzmann)",
    "act.policy_epsilon_greedy": "ε-greedy",
    "act.policy_uniform": "uniform",
    "what.arms": "number of arms",
    "what.steps": "number of steps",
    "what.runs": "number of runs",
    "what.epsilon": "ε",
    "what.seed": "seed",
    "what.smoothing": "label smoothing",
    "what.grad_steps": "number of gradient steps",
    "tab.cross_entropy": "Cross-entropy",
    "ce.intro": (
        "**Cross-entropy from the logits**: L = −log softmax(z)ᵧ = logsumexp(z) − zᵧ. Computing "
        "it from the logits never forms a probability that rounds to 0, so it stays finite when "
        "the logits are large; taking log(softmax(z)) first does not. Try 1000, 0 with target 1: "
        "the true loss is 1000."
    ),
    "ce.logits": "Logits (comma-separated)",
    "ce.target": "Target class y (index from 0)",
    "ce.smoothing": "Label smoothing ε",
    "ce.run": "Compute",
    "ce.steps_title": "Step by step",
    "ce.col_shifted": "z − max",
    "ce.col_exp": "exp(z − max)",
    "ce.col_log_softmax": "log_softmax = z − logsumexp",
    "ce.col_naive_exp": "naive exp(z)",
    "ce.col_log_of_softmax": "log(softmax(z))",
    "ce.good_title": "From the logits (softmaxlab.cross_entropy)",
    "ce.step_max": "1. **largest logit** m = max z",
    "ce.step_sum": "2. **sum** S = Σⱼ exp(zⱼ − m)",
    "ce.step_lse": "3. **logsumexp** = m + log S",
    "ce.step_pick": "4. **pick the target**: log_softmax(z)[{k}] = z[{k}] − logsumexp",
    "ce.step_loss": "5. **loss** L = −log_softmax(z)[{k}]",
    "ce.naive_title": "Through the probabilities",
    "ce.naive_p": "naive p[{k}] = exp(z[{k}]) / Σ exp(z)",
    "ce.naive_loss": "−log(naive p[{k}])",
    "ce.stable_p": "stable softmax(z)[{k}]",
    "ce.log_loss": "−log(softmax(z)[{k}])",
    "ce.naive_bad": (
        "The probability of the target rounds to 0 (or exp overflows), so −log gives inf or "
        "NaN: the information was lost before the log was taken."
    ),
    "ce.naive_ok": "The logits are small here, so both ways agree. Try 1000, 0 with target 1.",
    "ce.smooth_title": "Label smoothing",
    "ce.smooth_target": "Smoothed target q = (1 − ε)·onehot(y) + ε / C, with ε = {eps}",
    "ce.smooth_formula": (
        "L_ε = (1 − ε)·(−log_softmax(z)[y]) + ε·mean(−log_softmax(z)) = (1 − {eps})·{nll} + "
        "{eps}·{uniform}"
    ),
    "ce.smooth_loss": "**smoothed loss** (softmaxlab.cross_entropy, label_smoothing = {eps})",
    "ce.smooth_note": (
        "Smoothing asks for a little probability on every class, so the loss never reaches 0 "
        "and the model is discouraged from pushing its logits apart without limit. "
        "PyTorch's cross_entropy(label_smoothing=ε) uses the same definition."
    ),
    "cmp.relu_note": (
        "ReLU keeps the logits' scale instead of making a distribution: its values sum to "
        "{total}, not 1, and doubling the logits doubles them (sum {doubled}), while softmax "
        "stays summing to 1 and only sharpens (largest probability {top} → {top2})."
    ),
    "cmp.ml_title": "Multi-label: a person with a backpack",
    "cmp.ml_intro": (
        "One photo can show several things at once. With **independent sigmoids** each label "
        "gets its own yes/no probability, so person and backpack can both be high. A "
        "**softmax** assumes exactly one label and must split its mass between them."
    ),
    "cmp.ml_scores": "The model's scores for this photo: {scores}.",
    "cmp.ml_sigmoid": "independent sigmoids (sum {total})",
    "cmp.ml_softmax": "one softmax (sum {total})",
    "cmp.ml_verdict": (
        "Sigmoids above {threshold}: **{labels}**, both labels found. The softmax names only "
        "**{label}** and the other label gets what is left."
    ),
    "cmp.ml_person": "person",
    "cmp.ml_backpack": "backpack",
    "cmp.ml_dog": "dog",
    "cmp.ml_car": "car",
    "cmp.ml_bicycle": "bicycle",
    "cmp.ovr_sample_intro": (
        "**One sample**: pick a test sample (fits both models on the data set chosen above) and "
        "compare the probabilities each model gives it."
    ),
    "cmp.ovr_index": "Test sample (index from 0)",
    "cmp.ovr_show": "Show this sample",
    "cmp.err_sample": "The test sample must be a whole number from 0 to {max}; got {value}.",
    "cmp.ovr_raw": "one-vs-rest, raw sigmoid",
    "cmp.ovr_norm": "one-vs-rest, normalised",
    "cmp.ovr_softmax": "softmax regression",
    "cmp.ovr_sample_caption": "Test sample {index} of {n} ({dataset}); true class: {true} (✓).",
    "cmp.ovr_sample_note": (
        "The one-vs-rest models are trained separately, so their raw probabilities sum to "
        "{total}, not 1; dividing by that sum makes a distribution after the fact. Softmax "
        "regression sums to 1 by construction."
    ),
    "grad.d_title": "Where p − y comes from",
    "grad.d_softmax": "**softmax**: pᵢ = exp(zᵢ) / S with S = Σⱼ exp(zⱼ), and ∂S/∂zⱼ = exp(zⱼ).",
    "grad.d_quotient": (
        "**quotient rule**: ∂pᵢ/∂zⱼ = (δᵢⱼ·exp(zᵢ)·S − exp(zᵢ)·exp(zⱼ)) / S² = pᵢ(δᵢⱼ − pⱼ), "
        "the Jacobian above."
    ),
    "grad.d_log": (
        "**the log**: L = −log p[{k}], so ∂L/∂zⱼ = −(1 / p[{k}])·∂p[{k}]/∂zⱼ with p[{k}] = {p}."
    ),
    "grad.d_result": (
        "**result**: −(1 / p[{k}])·p[{k}](δ[{k}]ⱼ − pⱼ) = pⱼ − yⱼ. The columns below do this "
        "with the current numbers."
    ),
    "grad.d_col_jac": "∂p[{k}]/∂zⱼ",
    "grad.d_col_chain": "−(1 / p[{k}])·∂p[{k}]/∂zⱼ",
    "grad.d_col_fd": "central difference",
    "grad.d_col_diff": "|difference|",
    "grad.fd_note": (
        "**Finite-difference check**: (L(z + h·eⱼ) − L(z − h·eⱼ)) / 2h with h = {h}, from "
        "softmaxlab.cross_entropy. Largest |difference| from p − y: **{diff}**."
    ),
    "grad.s_count": "Gradient steps",
    "grad.s_title": "{n} gradient steps on this one example (η = {lr})",
    "grad.s_col_step": "step",
    "grad.s_col_loss": "loss",
    "grad.s_col_p": "p[{k}]",
    "grad.s_col_z": "z[{k}]",
    "grad.s_falls": "The loss falls at every step and p of the target rises towards 1.",
    "grad.s_why": (
        "On one example every step raises each margin z[y] − z[j] by η·(1 − p[y] + p[j]) > 0, "
        "so the loss falls for any η; a large η only gets there faster. With many examples a "
        "large η can overshoot."
    ),
}
