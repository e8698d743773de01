"""Alternative answers for Day 12 (evaluating and improving models): correct ones written other ways, and
classic mistakes."""


def split(body: str) -> str:
    return f"def split_three(X, y, val_size, test_size, seed):\n    {body}\n"


TWO_SPLITS = """indices = np.arange(len(y))
    rest, test = train_test_split(indices, test_size=test_size, stratify={stratify_1}, random_state={seed})
    train, val = train_test_split(rest, test_size={val}, stratify={stratify_2}, random_state={seed})
    return X[train], X[val], X[test], y[train], y[val], y[test]"""


def two_splits(val: str = "val_size / (1 - test_size)", seed: str = "seed", stratify_1: str = "y",
               stratify_2: str = "y[rest]") -> str:
    return split(TWO_SPLITS.format(val=val, seed=seed, stratify_1=stratify_1, stratify_2=stratify_2))


def evaluate(body: str) -> str:
    return f"def evaluate(model, loader, loss_fn, num_classes):\n    {body}\n"


EVAL_LOOP = """metric = Accuracy(task="multiclass", num_classes=num_classes)
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            outputs = model(xb)
            total += loss_fn(outputs, yb).item() * len(yb)
            count += len(yb)
            metric.update(outputs, yb)
    model.train(was_training)
    return total / count, metric.compute().item()"""

MAKE_OPTIMIZER = """def make_optimizer(model, lr, weight_decay):
    return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
"""
MAKE_MODEL = """def make_model(n_features, n_classes, hidden, dropout):
    return nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, n_classes))
"""


def models(model_body: str | None = None, optimizer_body: str | None = None) -> str:
    first = (f"def make_model(n_features, n_classes, hidden, dropout):\n    {model_body}\n" if model_body
             else MAKE_MODEL)
    second = (f"def make_optimizer(model, lr, weight_decay):\n    {optimizer_body}\n" if optimizer_body
              else MAKE_OPTIMIZER)
    return first + "\n\n" + second


def early(body: str) -> str:
    return f"def fit_early_stopping(model, optimizer, train_loader, val_loader, max_epochs, patience):\n    {body}\n"


EARLY = """loss_fn = nn.CrossEntropyLoss()
    history = {{"train": [], "val": []}}
    best_loss, best_state, waited = float("inf"), None, 0
    for epoch in range(max_epochs):
        {train_mode}
        total, count = 0.0, 0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
        history["train"].append(total / count)
        {validate}
        history["val"].append(val_loss)
        if val_loss < best_loss:
            best_loss, best_state, waited = val_loss, {save}, 0
        else:
            waited += 1
            if waited >= {patience}:
                break
    {restore}
    return history"""


def early_loop(train_mode: str = "model.train()", validate: str = "val_loss = average_loss(model, val_loader, loss_fn)",
               save: str = "copy.deepcopy(model.state_dict())", patience: str = "patience",
               restore: str = "model.load_state_dict(best_state)") -> str:
    return early(EARLY.format(train_mode=train_mode, validate=validate, save=save, patience=patience, restore=restore))


def search(body: str) -> str:
    return f"def random_search(score_fn, n_trials, seed):\n    {body}\n"


SEARCH = """rng = random.Random(seed)
    best = None
    for _ in range(n_trials):
        lr = {lr}
        dropout = rng.uniform(0.0, 0.5)
        score = score_fn(lr, dropout)
        if best is None or score {better} best["score"]:
            best = {{"lr": lr, "dropout": dropout, "score": score}}
    return best"""


def search_loop(lr: str = "10 ** rng.uniform(-3, -1)", better: str = ">") -> str:
    return search(SEARCH.format(lr=lr, better=better))


PENGUIN = ("set_seed(0)\npenguin_net = make_model(4, 3, 16, 0.2)\n"
           "penguin_history = fit_early_stopping(penguin_net, make_optimizer(penguin_net, 0.01, 1e-4), train_loader,\n"
           "                                     val_loader, max_epochs=60, patience=10)\n")
PLOT = 'penguin_ax = plot_loss_curves(penguin_history, title="Penguins, early stopping")\nplt.show()\n'
TEST_ACCURACY = "penguin_test_accuracy = accuracy_on(penguin_net, test_loader)\n"
SHOW = 'print(f"test accuracy: {penguin_test_accuracy:.3f}")\n'

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "tensors split directly": split(
                "X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=test_size, stratify=y, "
                "random_state=seed)\n"
                "    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_size / (1 - test_size),\n"
                "                                                      stratify=y_rest, random_state=seed)\n"
                "    return X_train, X_val, X_test, y_train, y_val, y_test"),
            "sizes in rows": split(
                "indices = np.arange(len(y))\n    n_test = round(test_size * len(y))\n    n_val = round(val_size * len(y))\n"
                "    rest, test = train_test_split(indices, test_size=n_test, stratify=y.numpy(), random_state=seed)\n"
                "    train, val = train_test_split(rest, test_size=n_val, stratify=y.numpy()[rest], random_state=seed)\n"
                "    return X[train], X[val], X[test], y[train], y[val], y[test]"),
            "validation first, a list": split(
                "idx = list(range(len(y)))\n"
                "    rest, val = train_test_split(idx, test_size=val_size, stratify=y, random_state=seed)\n"
                "    train, test = train_test_split(rest, test_size=test_size / (1 - val_size), stratify=y[rest], "
                "random_state=seed)\n"
                "    return [X[train], X[val], X[test], y[train], y[val], y[test]]"),
        },
        "wrong": {
            "val_size not rescaled": (two_splits(val="val_size"), "ask for val_size / (1 - test_size) of them"),
            "no stratify": (two_splits(stratify_1="None", stratify_2="None"), "pass stratify= to train_test_split"),
            "a fixed seed": (two_splits(seed="0"), "pass the seed argument as random_state"),
            "X and y shuffled apart": (split("X_rest, X_test = train_test_split(X, test_size=test_size, random_state=seed)\n"
                                             "    X_train, X_val = train_test_split(X_rest, test_size=val_size / (1 - test_size), "
                                             "random_state=seed)\n"
                                             "    y_rest, y_test = train_test_split(y, test_size=test_size, random_state=seed + 1)\n"
                                             "    y_train, y_val = train_test_split(y_rest, test_size=val_size / (1 - test_size), "
                                             "random_state=seed + 1)\n"
                                             "    return X_train, X_val, X_test, y_train, y_val, y_test"),
                                       "Each label must stay with its row"),
        },
    },
    "ex2_answer": {
        "correct": {
            "metric called per batch": evaluate(EVAL_LOOP.replace("metric.update(outputs, yb)", "metric(outputs, yb)")),
            "dataset size and try/finally": evaluate(
                'metric = Accuracy(task="multiclass", num_classes=num_classes)\n    mode = model.training\n'
                "    model.eval()\n    total = 0.0\n    try:\n        with torch.no_grad():\n"
                "            for xb, yb in loader:\n                scores = model(xb)\n"
                "                total += loss_fn(scores, yb).item() * xb.shape[0]\n"
                "                metric.update(scores.argmax(dim=1), yb)\n    finally:\n        model.train(mode)\n"
                "    return total / len(loader.dataset), float(metric.compute())"),
            "the helpers' context": evaluate(
                "from helpers.modes import evaluating\n"
                '    metric = Accuracy(task="multiclass", num_classes=num_classes)\n    losses, sizes = [], []\n'
                "    with evaluating(model):\n        for xb, yb in loader:\n            out = model(xb)\n"
                "            losses.append(loss_fn(out, yb).item())\n            sizes.append(len(yb))\n"
                "            metric.update(out, yb)\n"
                "    return float(np.average(losses, weights=sizes)), metric.compute().item()"),
        },
        "wrong": {
            "plain average of batches": (evaluate(
                'metric = Accuracy(task="multiclass", num_classes=num_classes)\n    was_training = model.training\n'
                "    model.eval()\n    losses = []\n    with torch.no_grad():\n        for xb, yb in loader:\n"
                "            out = model(xb)\n            losses.append(loss_fn(out, yb).item())\n"
                "            metric.update(out, yb)\n    model.train(was_training)\n"
                "    return sum(losses) / len(losses), metric.compute().item()"),
                "multiply each batch's mean loss by len(yb)"),
            "no eval": (evaluate(EVAL_LOOP.replace("    model.eval()\n", "")), "call model.eval() before the loop"),
            "left in evaluation mode": (evaluate(EVAL_LOOP.replace("    model.train(was_training)\n", "")),
                                        "call model.train(was_training) after the loop"),
            "tensors returned": (evaluate(EVAL_LOOP.replace("metric.compute().item()", "metric.compute()")),
                                 "turn a one-element tensor into a Python float with .item()"),
            "a fixed loss": (evaluate(EVAL_LOOP.replace("loss_fn(outputs, yb)", "nn.CrossEntropyLoss()(outputs, yb)")),
                             "use the loss_fn argument"),
        },
    },
    "ex3_answer": {
        "correct": {
            "named layers, keyword Adam": models(
                "from collections import OrderedDict\n"
                "    return nn.Sequential(OrderedDict(hidden=nn.Linear(n_features, hidden), relu=nn.ReLU(),\n"
                "                                     drop=nn.Dropout(p=dropout), out=nn.Linear(hidden, n_classes)))",
                "return torch.optim.Adam(params=model.parameters(), lr=lr, weight_decay=weight_decay)"),
            "a list of parameters": models(None, "params = list(model.parameters())\n"
                                                 "    return torch.optim.Adam(params, lr, weight_decay=weight_decay)"),
            "appended": models("net = nn.Sequential()\n    for layer in (nn.Linear(n_features, hidden), nn.ReLU(), "
                               "nn.Dropout(dropout), nn.Linear(hidden, n_classes)):\n        net.append(layer)\n"
                               "    return net"),
        },
        "wrong": {
            "softmax at the end": (models("return nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), "
                                          "nn.Dropout(dropout), nn.Linear(hidden, n_classes), nn.Softmax(dim=1))"),
                                   "do not add nn.Softmax at the end"),
            "SGD": (models(None, "return torch.optim.SGD(model.parameters(), lr=lr, weight_decay=weight_decay)"),
                    "return torch.optim.Adam"),
            "no weight decay": (models(None, "return torch.optim.Adam(model.parameters(), lr=lr)"),
                                "weight decay is an argument of the optimizer"),
            "a fixed dropout": (models("return nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Dropout(0.3), "
                                       "nn.Linear(hidden, n_classes))"),
                                "pass the argument: nn.Dropout(dropout), not a fixed number"),
            "no ReLU": (models("return nn.Sequential(nn.Linear(n_features, hidden), nn.Dropout(dropout), "
                               "nn.Linear(hidden, n_classes))"),
                        "make_model needs an nn.ReLU()"),
        },
    },
    "ex4_answer": {
        "correct": {
            "cloned tensors, own validation": early_loop(
                validate="model.eval()\n        with torch.no_grad():\n"
                         "            val_total = sum(loss_fn(model(xb), yb).item() * len(yb) for xb, yb in val_loader)\n"
                         "        val_loss = val_total / len(val_loader.dataset)",
                save="{k: v.detach().clone() for k, v in model.state_dict().items()}"),
            "a best epoch instead of a counter": early(
                "loss_fn = nn.CrossEntropyLoss()\n    history = {'train': [], 'val': []}\n    best_epoch, best = -1, None\n"
                "    for epoch in range(max_epochs):\n        model.train()\n        losses, sizes = [], []\n"
                "        for xb, yb in train_loader:\n            optimizer.zero_grad()\n"
                "            loss = loss_fn(model(xb), yb)\n            loss.backward()\n            optimizer.step()\n"
                "            losses.append(loss.item())\n            sizes.append(len(yb))\n"
                "        history['train'].append(float(np.average(losses, weights=sizes)))\n"
                "        history['val'].append(average_loss(model, val_loader, loss_fn))\n"
                "        if history['val'][-1] == min(history['val']) and epoch != best_epoch:\n"
                "            best_epoch, best = epoch, copy.deepcopy(model.state_dict())\n"
                "        if epoch - best_epoch >= patience:\n            break\n"
                "    model.load_state_dict(best)\n    return history"),
            "no model.train() needed after average_loss": early_loop(train_mode="pass"),
        },
        "wrong": {
            "the state dict not copied": (early_loop(save="model.state_dict()"),
                                          "save copy.deepcopy(model.state_dict())"),
            "best weights not loaded": (early_loop(restore="pass"), "call model.load_state_dict(saved) before returning"),
            "never stops": (early_loop(patience="max_epochs + 1"),
                            "stop as soon as the count equals patience"),
            "left in evaluation mode": (early_loop(train_mode="pass",
                                                   validate="model.eval()\n        with torch.no_grad():\n"
                                                            "            val_loss = sum(loss_fn(model(xb), yb).item() * len(yb) "
                                                            "for xb, yb in val_loader) / len(val_loader.dataset)"),
                                        "call model.train() at the start of every epoch"),
            "one patience too many": (early_loop(patience="patience + 1"), "stop as soon as the count equals patience"),
        },
    },
    "ex5_answer": {
        "correct": {
            "log-uniform with math.exp": search_loop(lr="math.exp(rng.uniform(math.log(0.001), math.log(0.1)))"),
            "max of the trials": search(
                "rng = random.Random(seed)\n    trials = []\n    for _ in range(n_trials):\n"
                "        lr, dropout = 10 ** rng.uniform(-3, -1), rng.uniform(0, 0.5)\n"
                "        trials.append({'lr': lr, 'dropout': dropout, 'score': score_fn(lr, dropout)})\n"
                "    return max(trials, key=lambda t: t['score'])"),
            "powers of ten with NumPy": search_loop(lr="float(np.power(10.0, rng.uniform(-3.0, -1.0)))"),
        },
        "wrong": {
            "uniform learning rates": (search_loop(lr="rng.uniform(0.001, 0.1)"), "draw the exponent"),
            "lowest score kept": (search_loop(better="<"), "keep the trial with the HIGHEST score"),
            "global random numbers": (search(SEARCH.format(lr="10 ** random.uniform(-3, -1)", better=">")
                                             .replace("rng.uniform(0.0, 0.5)", "random.uniform(0.0, 0.5)")),
                                      "The same seed must give the same result"),
            "score_fn called twice": (search(SEARCH.format(lr="10 ** rng.uniform(-3, -1)", better=">")
                                             .replace("if best is None or score >", "if best is None or score_fn(lr, dropout) >")),
                                      "call score_fn exactly once per trial"),
            "the last trial": (search(SEARCH.format(lr="10 ** rng.uniform(-3, -1)", better=">")
                                      .replace("if best is None or score >", "if True or score >")),
                               "keep the trial with the HIGHEST score"),
        },
    },
    "ex6_answer": {
        "correct": {
            "fit from the lesson and evaluate": (
                "set_seed(0)\npenguin_net = make_model(4, 3, 16, 0.1)\n"
                "penguin_history = fit(penguin_net, make_optimizer(penguin_net, 0.01, 0.0), train_loader, val_loader, 40)\n"
                + PLOT + "_, penguin_test_accuracy = evaluate(penguin_net, test_loader, nn.CrossEntropyLoss(), 3)\n" + SHOW),
            "a subclass": (
                "set_seed(0)\n\n\nclass PenguinNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                "        self.hidden = nn.Linear(4, 16)\n        self.out = nn.Linear(16, 3)\n\n"
                "    def forward(self, x):\n        return self.out(torch.relu(self.hidden(x)))\n\n\n"
                "penguin_net = PenguinNet()\n"
                "penguin_history = fit_early_stopping(penguin_net, torch.optim.Adam(penguin_net.parameters(), lr=0.01),\n"
                "                                     train_loader, val_loader, 60, 10)\n" + PLOT + TEST_ACCURACY + SHOW),
            "keyword arguments, a float of a tensor": (
                PENGUIN + "penguin_ax = plot_loss_curves(history=penguin_history)\n"
                "penguin_test_accuracy = float(torch.tensor(accuracy_on(penguin_net, test_loader)))\n" + SHOW),
        },
        "wrong": {
            "validation accuracy": (PENGUIN + PLOT + "penguin_test_accuracy = accuracy_on(penguin_net, val_loader)\n",
                                    "the final score comes from test_loader"),
            "training accuracy": (PENGUIN + PLOT + "penguin_test_accuracy = accuracy_on(penguin_net, train_loader)\n",
                                  "penguins the model never saw"),
            "a tensor": (PENGUIN + PLOT + "penguin_test_accuracy = torch.tensor(accuracy_on(penguin_net, test_loader))\n",
                         "turn a one-element tensor into a Python float"),
            "no axes kept": (PENGUIN + "plot_loss_curves(penguin_history)\npenguin_ax = plt.show()\n" + TEST_ACCURACY,
                             "store what plot_loss_curves(penguin_history) returns"),
            "only the training losses": (PENGUIN.replace("penguin_history = ", "full_history = ") +
                                         "penguin_history = full_history['train']\n"
                                         "penguin_ax = plot_loss_curves(full_history)\n" + TEST_ACCURACY,
                                         "store the {\"train\": [...], \"val\": [...]}"),
        },
    },
}
