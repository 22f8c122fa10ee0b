"""The explorer's strings in English: one entry per key, as a plain dict.

Keys are grouped by tab (``sm.`` Softmax, ``cmp.`` Compare, ``prec.`` Precision, ``nt.`` Next
token, ``dg.`` Draw a digit, ``tr.`` Train, ``grad.`` Gradients, ``err.`` messages about bad
entries). Placeholders use :meth:`str.format` syntax and are the same in every language
(``tests/explorer/test_i18n.py`` checks it).
"""

from __future__ import annotations

from .lessons_en import STRINGS as LESSONS

STRINGS: dict[str, str] = {
    # -------------------------------------------------------------- page
    "app.title": "softmaxlab explorer",
    "app.intro": (
        "Play with softmax: move the sliders, change the temperature, try the presets. Every "
        "number on this page is computed by softmaxlab's own functions (while you drag a slider, "
        "the page draws the bars itself; softmaxlab's answer replaces them when you let go)."
    ),
    "app.language": "Language",
    "gradio.complete": "Done",
    "tab.softmax": "Softmax",
    "tab.compare": "Compare",
    "tab.precision": "Precision",
    "tab.gradients": "Gradients",
    # ------------------------------------------------------- softmax tab
    "sm.formula": (
        "**softmax(z)ᵢ = exp(zᵢ / T) / Σⱼ exp(zⱼ / T)** — computed stably as exp(zᵢ/T − max) / "
        "Σⱼ exp(zⱼ/T − max)."
    ),
    "sm.names": "Class names (comma-separated)",
    "sm.rename": "Rename",
    "sm.add": "Add a class (up to 10)",
    "sm.remove": "Remove the last class (at least 2)",
    "sm.temperature": (
        "Temperature T (the slider moves on a log scale from 0.05 to 10; or type T in the box)"
    ),
    "sm.t_box": "T (0.05 to 10)",
    "sm.sweep_title": "Winner takes all: each class's probability as T sweeps",
    "sm.sweep_axis": "temperature T (log scale)",
    "sm.sweep_note": (
        "As T falls toward 0 the largest logit takes all the probability (softmax tends to "
        "argmax); as T grows every class tends to 1/n. The dashed line is the current T = {t}."
    ),
    "sm.simplex_title": "The probability simplex (3 classes)",
    "sm.simplex_note": (
        "Every probability vector of 3 classes is a point of this triangle: a corner is a "
        "one-hot vector, the grey centre is uniform (1/3 each). The dashed curve is the path "
        "of p as T goes from 0.05 (near the winner's corner) to 10 (near the centre); the "
        "orange dot is the current p."
    ),
    "sm.simplex_n": (
        "The simplex is drawn for exactly 3 classes (there are {n} now): add or remove "
        "classes to see it."
    ),
    "sm.presets": "Presets",
    "preset.seed_a": "3, 1, −3",
    "preset.seed_b": "1, 2, 3",
    "preset.equal": "All equal",
    "preset.small_a": "Small gap: 1, 1, 1.5",
    "preset.small_b": "Small gap: 1, 1, 2.0",
    "preset.large": "Large gap: −5, −5, 5",
    "preset.negative": "All negative: −2, −1, −1",
    "preset.shift": "Add a constant to all",
    "sm.t_value": "Temperature T = {t}",
    "sm.chart_title": "Probabilities",
    "sm.winner": "winner",
    "sm.tie": "tie",
    "col.class": "class",
    "col.logit": "logit z",
    "col.scaled": "z / T",
    "col.shifted": "z/T − max",
    "col.exp": "exp(z/T − max)",
    "col.prob": "probability",
    "col.percent": "%",
    "sm.steps": "Step by step",
    "sm.sum_label": "Sum check",
    "sm.sum": "Σ p = {total} (|Σ p − 1| = {error}; expected at most about n·ε = {bound})",
    "sm.sum_note": (
        "Each probability is rounded to the nearest float64 (ε = 2.2e-16), so the sum may miss 1 "
        "by a few ε. That is floating-point rounding, not a bug: compare with a tolerance, never "
        "with ==."
    ),
    "sm.sum_ok": "within tolerance",
    "sm.sum_bad": "outside tolerance",
    "sm.entropy": (
        "Entropy H = −Σ p log p = {nats} nats = {bits} bits (maximum log n = {max_nats} nats "
        "when all classes are equally likely)."
    ),
    "sm.explain_gap": (
        "The winner **{winner}** leads the runner-up **{second}** by {gap} in logits; divided by "
        "T = {t} that is {scaled}, so the winner is e^{scaled} ≈ {ratio} times as likely."
    ),
    "sm.explain_tie": (
        "The top classes are tied ({winners}): softmax splits the probability between them equally."
    ),
    "sm.explain_rule": (
        "**Winner takes all:** the ratio of two probabilities is exp(gap / T). As the gap grows "
        "or the temperature falls, this ratio explodes and softmax approaches argmax (a one-hot "
        "vector). As the temperature rises, every class tends to 1/n. Adding the same constant "
        "to every logit changes nothing: only differences matter."
    ),
    "sm.regime_wta": "Here the winner already takes {p} of the probability: almost one-hot.",
    "sm.regime_flat": (
        "Here the distribution is close to uniform (entropy at {pct} of its maximum)."
    ),
    "sm.shifted": (
        "Added {c} to every logit: the probabilities are unchanged (largest change {change})."
    ),
    # ------------------------------------------------------- compare tab
    "cmp.intro": (
        "The same logits through five maps. **softmax**: a smooth distribution over exclusive "
        "classes. **sigmoid**: each class on its own (multi-label), so the values need not sum "
        "to 1. **argmax**: the hard choice (one-hot). **sparsemax**: like softmax but it can "
        "give exact zeros. **ReLU** max(z, 0): an activation, not a distribution."
    ),
    "cmp.logits": "Logits (comma-separated)",
    "cmp.run": "Compare",
    "cmp.sum": "sum",
    "cmp.zeros": "sparsemax gives exactly zero to {k} of {n} classes; softmax gives zero to none.",
    # ----------------------------------------------------- precision tab
    "prec.intro": (
        "Why softmaxlab subtracts the maximum before exponentiating: exp(1000) overflows to inf "
        "in float64, and inf / inf is NaN. Subtracting the maximum changes nothing "
        "mathematically (shift invariance) but keeps every exponent ≤ 0."
    ),
    "prec.logits": "Logits (comma-separated)",
    "prec.run": "Compute",
    "prec.example_large": "1000, 999, 998",
    "prec.example_log": "1000, 1",
    "prec.naive_title": "Naive exp(z) / Σ exp(z) vs the stable form",
    "col.naive_exp": "exp(z)",
    "col.naive_p": "naive p",
    "col.stable_exp": "exp(z − max)",
    "col.stable_p": "stable p (softmaxlab)",
    "prec.naive_bad": "The naive form produced {bad} non-finite value(s) (inf or NaN).",
    "prec.naive_ok": "Both forms agree here: the logits are small enough. Try 1000, 999, 998.",
    "prec.dtype_title": "The sum of the probabilities in each precision",
    "col.dtype": "dtype",
    "col.eps": "machine ε",
    "col.sum": "Σ p",
    "col.sum_err": "|Σ p − 1|",
    "col.in_eps": "|Σ p − 1| / ε",
    "prec.dtype_note": (
        "In general the sum of the rounded probabilities misses 1 by at most a few of its own "
        "ε: float16 keeps about 3 significant digits, float32 about 7, float64 about 16. Logits "
        "that do not fit the type become ±inf (float16 stops at 65504)."
    ),
    "prec.sum_exact": "{dtype}: Σ p is exactly 1 here (its rounding errors cancel)",
    "prec.sum_missed": "{dtype}: Σ p misses 1 by {k} ε",
    "prec.sum_nan": "{dtype}: Σ p is NaN (a logit is ±inf or NaN, and inf − inf is NaN)",
    "prec.sum_sep": ". ",
    "prec.log_nan": (
        "The probabilities are NaN here (a logit is ±inf or NaN), so neither log(softmax) nor "
        "log_softmax is defined and there is no underflow to see. Try 1000, 1: softmax gives 0 "
        "for the second class, log(0) = −inf, while log_softmax gives −999."
    ),
    "prec.log_title": "log(softmax(z)) vs log_softmax(z)",
    "col.log_of_softmax": "log(softmax(z))",
    "col.log_softmax": "log_softmax(z)",
    "prec.log_bad": (
        "{k} probability(ies) underflowed to 0, so log(softmax) gives −inf where log_softmax (z "
        "− logsumexp(z)) stays finite. Use log_softmax for losses."
    ),
    "prec.log_ok": (
        "No probability underflowed here, so both agree. Try 1000, 1: softmax gives 0 for the "
        "second class, log(0) = −inf, while log_softmax gives −999."
    ),
    # ----------------------------------------------------- gradients tab
    "grad.intro": (
        "The Jacobian of softmax is J = diag(p) − p pᵀ: Jᵢⱼ = pᵢ(δᵢⱼ − pⱼ). Each row sums to 0 "
        "because the probabilities always sum to 1. With cross-entropy loss and a target class "
        "y, the gradient with respect to the logits is simply p − y (y one-hot)."
    ),
    "grad.logits": "Logits (comma-separated)",
    "grad.target": "Target class (index from 0)",
    "grad.lr": "Learning rate η",
    "grad.run": "Compute",
    "grad.jacobian_title": "Softmax Jacobian ∂pᵢ/∂zⱼ",
    "grad.row_sums": "Largest |row sum| = {value} (zero up to rounding).",
    "grad.step_title": "Cross-entropy gradient and one gradient-descent step",
    "col.p": "p",
    "col.y": "y",
    "col.grad": "p − y",
    "col.z_new": "z − η(p − y)",
    "col.p_new": "new p",
    "grad.loss": (
        "Loss −log p_y: {before} → {after} after one step with η = {lr}. The target's logit goes "
        "up by η(1 − p_y) and every other logit goes down by η·pᵢ."
    ),
    # ---------------------------------------------------- next-token tab
    "tab.next_token": "Next token",
    "nt.intro": (
        "A language model scores every token of its vocabulary; softmax turns the scores into "
        "the probability of the next token. Decoding settings reshape that distribution before "
        "one token is drawn. Edit the vocabulary (one `token: logit` per line) and the settings."
    ),
    "nt.prompt": "Prompt: “The cat sat on the …” — which word comes next?",
    "nt.vocab": "Vocabulary (token: logit, one per line)",
    "nt.temperature": "Temperature (0 = greedy)",
    "nt.top_k": "top-k (0 = off)",
    "nt.top_p": "top-p (1 = off)",
    "nt.min_p": "min-p (0 = off)",
    "nt.n": "Number of draws N",
    "nt.seed": "Random seed",
    "nt.sample": "Sample N times",
    "nt.base": "Base distribution softmax(z)",
    "nt.processed": "After the decoding settings",
    "nt.removed": "removed",
    "nt.pipeline": "Pipeline (applied in this order)",
    "nt.step_temperature": "1. temperature T = {t}: z → z / T{greedy}",
    "nt.greedy_note": " (T = 0: greedy, only the top token stays)",
    "nt.step_top_k": "2. top-k {value}: {kept} of {n} tokens left",
    "nt.step_top_p": "3. top-p {value}: {kept} of {n} tokens left",
    "nt.step_min_p": "4. min-p {value}: {kept} of {n} tokens left",
    "nt.step_renorm": "5. softmax over the tokens left (they sum to 1 again).",
    "nt.off": "off",
    "nt.choice": (
        "Greedy choice: **{greedy}**. One sampled choice (seed {seed}): **{sampled}**. Entropy "
        "after processing: {entropy} nats."
    ),
    "nt.hist_title": (
        "Empirical frequencies of {n} draws (dark) over the theoretical probabilities (light)"
    ),
    "nt.hist_seed": (
        "Drawn with seed {seed}. The seed box has moved on to {next}, so pressing the button "
        "again draws new samples; type {seed} back to repeat these."
    ),
    "nt.hist_note": (
        "Largest gap between frequency and probability: {gap} (it shrinks like 1/√N). Removed "
        "tokens are never drawn."
    ),
    # ------------------------------------------- next token, real model (helper I)
    "tab.lm": "Next token (real model)",
    "lm.intro": (
        "A real, tiny language model: a **bigram** softmax regression, trained by softmaxlab's "
        "own `SoftmaxRegression` on short sentences written for this project (English words "
        "or Chinese characters). For the previous token u it computes one logit per token v, "
        "**zᵥ = bᵥ + Wᵥᵤ**, and P(next = v) = softmax(z)ᵥ. Type a prompt to see the real "
        "logits of the next token, decode them with temperature, top-k, top-p and min-p, "
        "append one sampled token at a time or generate several."
    ),
    "lm.corpus": "Training text (trained once, in about a second, when this tab opens)",
    "lm.prompt": "Prompt",
    "lm.temperature": "Temperature (0 = greedy)",
    "lm.top_k": "top-k (0 = off)",
    "lm.top_p": "top-p (1 = off)",
    "lm.min_p": "min-p (0 = off)",
    "lm.seed": "Random seed",
    "lm.step": "Append the next token ▸",
    "lm.n": "Tokens to generate",
    "lm.generate": "Generate",
    "lm.waiting": "The model is training on its text (about a second); its logits appear here.",
    "lm.model": (
        "Model: {vocabulary} tokens to predict, fitted to {n_tokens} next-token examples in "
        "{seconds} s ({n_iter} Newton-CG iterations of SoftmaxRegression, C = {C})."
    ),
    "lm.read": "The model reads:",
    "lm.empty_prompt": "(nothing yet: the start of a sentence)",
    "lm.unk": (
        "Not in the vocabulary, read as <unk>: {words}. <unk> has no weights of its own, so "
        "right after it the logits are the intercepts b alone (roughly how often each token "
        "comes next anywhere)."
    ),
    "lm.context": "The next token is predicted from the previous one: {token} (<s> = start).",
    "lm.top_title": "The {k} largest logits of the next token (of {n})",
    "lm.col_rank": "#",
    "lm.col_token": "token",
    "lm.col_logit": "logit z",
    "lm.col_p": "softmax(z)",
    "lm.col_pp": "after decoding",
    "lm.col_cum": "cumulative (top-p)",
    "lm.col_status": "status",
    "lm.cum_heading": "Cumulative probability, most likely token first",
    "lm.cum_greedy": "T = 0 is greedy: only the top token stays and top-p is not applied.",
    "lm.cum_off": "top-p is off (1): every token stays. Move top-p below 1 to see the cut.",
    "lm.cum_title": (
        "Each segment is one token's probability softmax(z / T) after top-k. top-p = {p} keeps "
        "the most likely tokens until their mass reaches {p}, the token that crosses the line "
        "included: {kept} of {n} tokens stay (blue), the grey ones are cut."
    ),
    "lm.choice": (
        "Greedy: **{greedy}** · sampled with seed {seed}: **{sampled}** (the step button "
        "appends this one)"
    ),
    "lm.generated_title": "{n} tokens generated with seed {seed} (shade: each one's probability)",
    "lm.ended": (
        "The model drew </s>, the end of the sentence. Change the seed, the settings or the "
        "prompt to go on."
    ),
    "what.lm_tokens": "number of tokens",
    "err.lm_corpus": "Unknown training text {value}; pick one of the choices.",
    "col.token": "token",
    "col.freq": "frequency",
    "what.vocab": "vocabulary",
    "what.tokens": "tokens",
    "err.vocab_entry": "Line {index} ('{value}') is not 'token: logit'.",
    "err.duplicate_token": (
        "The token '{label}' appears more than once; each token must be listed once."
    ),
    # ----------------------------------------- one-vs-rest (compare tab)
    "ovr.title": "One-vs-rest vs softmax regression",
    "ovr.intro": (
        "One-vs-rest fits one independent sigmoid classifier per class and renormalises their "
        "scores; softmax regression fits one model whose probabilities sum to 1 by construction. "
        "Both are trained on the same split of a small bundled data set."
    ),
    "ovr.dataset": "Data set",
    "ovr.run": "Fit both models",
    "ovr.summary": "{dataset}: {k} classes, {n_train} training and {n_test} test samples.",
    "col.model": "model",
    "col.accuracy": "test accuracy",
    "col.log_loss": "test log-loss",
    "col.fit_time": "fit time (s)",
    "col.n_params": "parameters",
    # -------------------------------------------------- draw-a-digit tab
    "tab.digit": "Draw a digit",
    "dg.intro": (
        "Draw a digit from 0 to 9 (the brush is ready). The drawing is cropped, centred and "
        "reduced to 8×8 pixels with values 0–16, like scikit-learn's digits; a softmax "
        "regression trained on those digits gives the ten probabilities."
    ),
    "dg.none": (
        'Softmax cannot say "none of these": it always shares all the probability among the '
        "ten digits, so a single dot or a scribble still gets a confident-looking class. A "
        'model that can refuse needs an extra "other" class or a threshold on its confidence.'
    ),
    "gradio.brush": "Brush",
    "gradio.erase": "Erase",
    "gradio.color": "Color",
    "gradio.brush_size": "Brush Size",
    "gradio.clear_canvas": "Clear canvas",
    "gradio.pan": "Pan",
    "gradio.redo": "Redo",
    "gradio.zoom_in": "Zoom in",
    "gradio.zoom_out": "Zoom out",
    "gradio.select_draw_tool": "select the draw tool to start",
    "gradio.aria_number": "number input for {label}",
    "gradio.aria_range": "range slider for {label}",
    "gradio.aria_reset": "Reset to default value",
    "gradio.aria_upload": "Click to upload or drop files",
    "gradio.aria_undo": "Undo",
    "gradio.aria_file": "File upload",
    "dg.pad": "Your drawing",
    "dg.calibrated": "Use temperature scaling (calibrated probabilities)",
    "dg.seen": "What the model sees (8×8)",
    "dg.top3": "Top 3: {top}",
    "dg.temperature": "Temperature fitted on held-out digits: T = {t} ({state}).",
    "dg.on": "applied",
    "dg.off": "not applied",
    "dg.empty": "Draw a digit to see its probabilities.",
    # --------------------------------------------- train & calibrate tab
    "tab.train": "Train & calibrate",
    "tr.intro": (
        "Fit softmax regression on a bundled data set (60 % train, 20 % validation, 20 % test), "
        "then fit one temperature T on the validation set. Temperature scaling never changes the "
        "predicted class, only how confident the model is; the reliability diagram and the "
        "expected calibration error (ECE) show whether confidence matches accuracy."
    ),
    "tr.dataset": "Data set",
    "tr.c": "Inverse regularisation C",
    "tr.max_iter": "Maximum iterations",
    "tr.run": "Train",
    "tr.progress_data": "loading the data",
    "tr.progress_fit": "fitting softmax regression",
    "tr.progress_calibrate": "fitting the temperature",
    "tr.progress_score": "scoring",
    "tr.progress_done": "done",
    "tr.summary": (
        "{dataset}: {n_iter} iterations; accuracy {train_acc} (train), {test_acc} (test). Fitted "
        "temperature T = {t}. On the test set, ECE {ece_before} → {ece_after} and log-loss "
        "{nll_before} → {nll_after} after scaling."
    ),
    "tr.loss": "Training loss per iteration",
    "tr.confusion": "Confusion matrix on the test set (rows: true class, columns: predicted)",
    "tr.reliability_before": "Reliability diagram before scaling",
    "tr.reliability_after": "Reliability diagram after scaling (T = {t})",
    "tr.reliability_note": (
        "Bars: accuracy in each confidence bin; dashed line: perfect calibration; gaps are over- "
        "(bar below the line) or under-confidence."
    ),
    "tr.confidence": "confidence",
    "tr.accuracy": "accuracy",
    "tr.iteration": "iteration",
    "tr.press": "Choose a data set and press Train.",
    "err.empty_drawing": "The drawing is empty: draw a digit with the brush first.",
    "err.model_training": "The digit model is still being trained; try again in a few seconds.",
    "err.dataset": "Unknown data set '{value}'; choose one of {allowed}.",
    # Action choice, Cross-entropy and the Compare/Gradients additions: in .lessons_en.
    **LESSONS,
    # ---------------------------------------------------------- messages
    "punct.colon": ": ",
    "punct.list": ", ",
    "err.title": "Please check your entry",
    "err.empty": "The list of {what} is empty: enter at least {min} values separated by commas.",
    "err.too_few": "Enter at least {min} {what}; got {n}.",
    "err.too_many": "Enter at most {max} {what}; got {n}.",
    "err.not_number": "'{value}' is not a number (entry {index} of the {what}).",
    "err.not_finite": (
        "Entry {index} of the {what} is {value}; only finite numbers are allowed here."
    ),
    "err.duplicate": "The label '{label}' appears more than once; labels must be different.",
    "err.blank_label": "Label {index} is empty; give every class a name.",
    "err.count_mismatch": (
        "There are {n_names} names for {n_classes} classes; give one name per class."
    ),
    "err.target": "The target class must be an integer from 0 to {max}; got {value}.",
    "err.range": "The {what} must be in the range [{low}, {high}]; got {value}.",
    "err.internal": (
        "Something went wrong while computing this ({kind}). The page still works: change an "
        "input to try again."
    ),
    "what.logits": "logits",
    "what.labels": "labels",
    "what.classes": "classes",
    "what.lr": "learning rate",
    "what.temperature": "temperature",
    "what.logit": "logit",
    "err.entry_range": (
        "{what}: {value} is outside the allowed range [{low}, {high}]; it was set to {fixed}."
    ),
    "err.entry_empty": "{what}: the box is empty; it was set back to {fixed}.",
    "err.entry_not_number": "{what}: {value} is not a number; it was set back to {fixed}.",
    "err.entry_not_finite": "{what}: {value} is not a finite number; it was set back to {fixed}.",
    "err.entry_integer": "{what}: only whole numbers are allowed; {value} was rounded to {fixed}.",
    # ------------------------------- helper E: Σ row, train warnings, attention, segmentation
    "sm.col_divide": "exp ÷ Σ = {p}",
    "sm.sum_steps": (
        "Step by step: exponentiate each z/T − max (exp column), add them up (Σ row: "
        "Σ exp = {exp_sum}), then divide each exp by that sum (÷ Σ column)."
    ),
    "tr.warn_lower": (
        "The temperature stopped at its lower bound {bound}: the calibration set ({n_val} "
        "samples) is classified perfectly, so calibration cannot tell how over-confident the "
        "model is. Treat the fitted T and the scaled scores with caution."
    ),
    "tr.warn_upper": (
        "The temperature stopped at its upper bound {bound}: on the calibration set ({n_val} "
        "samples) the model does hardly better than a uniform guess, so the fitted T is not "
        "reliable."
    ),
    "tr.warn_iter": (
        "The fit did not converge in {n_iter} iterations: raise the maximum iterations or "
        "lower C (more regularisation)."
    ),
    "tab.attention": "Attention",
    "att.intro": (
        "**Attention**: each token asks a query q, every token offers a key k and a value v. "
        "The scores are q·k / √d; a softmax along each row turns them into weights that sum to "
        "1, and each token's output is the weighted sum of the values. The vectors here are "
        "small made-up ones (fixed, seeded), not a trained model."
    ),
    "att.tokens": "Tokens (words separated by spaces)",
    "att.run": "Compute",
    "att.examples": "Example sentences",
    "att.example_1": "the cat sat on the mat",
    "att.example_2": "she poured tea into the cup",
    "att.example_3": "softmax turns scores into weights",
    "att.causal": "Causal mask (a token sees only itself and earlier tokens)",
    "att.query": "Query token (position)",
    "att.corner": "query ↓ key →",
    "att.dim": "dim",
    "att.mask_on": (
        "Causal mask on: a key after the query gets the score −∞, so its weight is exactly 0."
    ),
    "att.mask_off": "Causal mask off: every token attends to every token.",
    "att.scores_heading": "Scores q·k / √d (scale {scale})",
    "att.weights_heading": "Weights: softmax of each row (grey: masked, weight 0)",
    "att.sum": "Σ row",
    "att.output_heading": "Outputs: each row is the weighted sum of the values",
    "att.query_heading": "Query {n} '{token}': its weights",
    "att.mix": "Output {n} = {terms} = ({out})",
    "what.att_query": "query position",
    "tab.segmentation": "Segmentation",
    "seg.intro": (
        "**Per-pixel softmax**: every pixel of this small generated picture (sky, ground, an "
        "orange ball, plus noise) gets one score per class from its colour; a softmax over the "
        "class axis turns each pixel's scores into probabilities, and the label map shows the "
        "most likely class of every pixel."
    ),
    "seg.temperature": "Temperature T",
    "seg.noise": "Noise (standard deviation)",
    "seg.seed": "Noise seed",
    "seg.row": "Picked pixel: row",
    "seg.col": "Picked pixel: column",
    "seg.class_sky": "sky",
    "seg.class_ground": "ground",
    "seg.class_object": "ball",
    "seg.image": "Image",
    "seg.prob_map": "p({name})",
    "seg.label_map": "Label map (argmax)",
    "seg.counts": "Pixels per label: {counts}.",
    "seg.pixel_heading": "Pixel (row {row}, column {col})",
    "seg.pixel_scores": "Scores: {scores}; softmax at T = {t}:",
    "seg.sum": "Σp for this pixel = {total}; the largest |Σp − 1| over all pixels is {worst}.",
    "seg.sep": ", ",
    "what.seg_noise": "noise level",
    "what.seg_seed": "seed",
    "what.seg_row": "row",
    "what.seg_col": "column",
}
