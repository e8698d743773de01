"""Alternative answers for Day 13 (the capstone): correct ones written other ways, and classic mistakes."""

PREPROCESS = """def preprocess(frame):
    pixels = frame[list(DIGIT_PIXELS)].to_numpy()
    return torch.tensor(pixels, dtype=torch.float32) / 16.0
"""
SPLIT = """fit_df, val_df = train_test_split(train_df, test_size=0.2, stratify=train_df["digit"], random_state=0)
X_train, y_train = preprocess(fit_df), torch.tensor(fit_df["digit"].to_numpy())
X_val, y_val = preprocess(val_df), torch.tensor(val_df["digit"].to_numpy())
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True, generator=generator)
"""


def prepare(preprocess_body: str | None = None, split: str = SPLIT) -> str:
    function = f"def preprocess(frame):\n    {preprocess_body}\n" if preprocess_body else PREPROCESS
    return function + "\n\n" + split


def model(body: str) -> str:
    return "set_seed(0)\n" + body + "\n"


TRAIN = """loss_fn = nn.CrossEntropyLoss()
optimizer = {optimizer}
history = {{"train": [], "val": []}}
for epoch in tqdm(range({epochs}), desc="training"):
    model.train()
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
plot_loss_curves(history, title="Digits")
plt.show()
"""
VALIDATE = ("model.eval()\n    with torch.no_grad():\n"
            "        history[\"val\"].append(loss_fn(model(X_val), y_val).item())")


def train(optimizer: str = "torch.optim.Adam(model.parameters(), lr=3e-3)", epochs: int = 30,
          validate: str = VALIDATE) -> str:
    return TRAIN.format(optimizer=optimizer, epochs=epochs, validate=validate)


def predict(body: str) -> str:
    return f"def predict(model, frame):\n    {body}\n"


PREDICT = """was_training = model.training
    model.eval()
    with torch.no_grad():
        scores = model(preprocess(frame))
    {restore}
    return {result}"""


def predict_loop(restore: str = "model.train(was_training)", result: str = "scores.argmax(dim=1)") -> str:
    return predict(PREDICT.format(restore=restore, result=result))


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "drop the label, a 25% split": prepare(
                "return torch.from_numpy(frame.drop(columns='digit').to_numpy()).float() / 16",
                'fit_df, val_df = train_test_split(train_df, test_size=0.25, stratify=train_df["digit"], random_state=1)\n'
                "X_train = preprocess(fit_df)\ny_train = torch.tensor(fit_df['digit'].values, dtype=torch.int64)\n"
                "X_val = preprocess(val_df)\ny_val = torch.tensor(val_df['digit'].values, dtype=torch.int64)\n"
                "train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)\n"),
            "first 64 columns, split on indices": prepare(
                "return torch.tensor(frame.iloc[:, :64].values / 16.0, dtype=torch.float32)",
                "idx_fit, idx_val = train_test_split(np.arange(len(train_df)), test_size=0.3,\n"
                "                                    stratify=train_df['digit'], random_state=0)\n"
                "X_all, y_all = preprocess(train_df), torch.tensor(train_df['digit'].to_numpy())\n"
                "X_train, y_train, X_val, y_val = X_all[idx_fit], y_all[idx_fit], X_all[idx_val], y_all[idx_val]\n"
                "train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=16, shuffle=True)\n"),
            "centred on 8": prepare("return (torch.tensor(frame[list(DIGIT_PIXELS)].to_numpy()).float() - 8) / 8"),
        },
        "wrong": {
            "standardised on the frame": (prepare("x = torch.tensor(frame[list(DIGIT_PIXELS)].to_numpy(), dtype=torch.float32)\n"
                                                  "    return (x - x.mean(dim=0)) / (x.std(dim=0) + 1e-6)"),
                                          "the largest absolute value"),
            "not scaled": (prepare("return torch.tensor(frame[list(DIGIT_PIXELS)].to_numpy(), dtype=torch.float32)"),
                           "scale the pixels (0 to 16) to small numbers"),
            "the label kept": (prepare("return torch.tensor(frame.to_numpy(), dtype=torch.float32) / 16"),
                               "keep only the 64 pixel columns"),
            "float64": (prepare("return torch.tensor(frame[list(DIGIT_PIXELS)].to_numpy() / 16.0)"),
                        "use dtype=torch.float32"),
            "divided by the frame's maximum": (prepare("x = torch.tensor(frame[list(DIGIT_PIXELS)].to_numpy(), "
                                                       "dtype=torch.float32)\n    return x / x.max()"),
                                               "each row must be handled on its own"),
            "not stratified": (prepare(None, SPLIT.replace(', stratify=train_df["digit"]', "")),
                               'split with stratify=train_df["digit"]'),
            "float labels": (prepare(None, SPLIT.replace('torch.tensor(fit_df["digit"].to_numpy())',
                                                         'torch.tensor(fit_df["digit"].to_numpy(), dtype=torch.float32)')),
                             "CrossEntropyLoss wants int64 labels"),
        },
    },
    "ex2_answer": {
        "correct": {
            "two hidden layers": model("model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),\n"
                                       "                      nn.Linear(32, 10))"),
            "a subclass": model("class DigitNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                                "        self.hidden = nn.Linear(64, 128)\n        self.out = nn.Linear(128, 10)\n\n"
                                "    def forward(self, x):\n        return self.out(torch.relu(self.hidden(x)))\n\n\n"
                                "model = DigitNet()"),
            "dropout, LeakyReLU": model("model = nn.Sequential(nn.Linear(64, 96), nn.LeakyReLU(), nn.Dropout(0.1), "
                                        "nn.Linear(96, 10))"),
        },
        "wrong": {
            "softmax at the end": (model("model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10), "
                                         "nn.Softmax(dim=1))"),
                                   "remove the softmax at the end"),
            "nine outputs": (model("model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 9))"),
                             "the last layer needs 10 outputs"),
            "an 8 x 8 input": (model("model = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 10))"),
                               "the first layer must take 64 inputs"),
            "far too big": (model("model = nn.Sequential(nn.Linear(64, 4096), nn.ReLU(), nn.Linear(4096, 256), nn.ReLU(), "
                                  "nn.Linear(256, 10))"),
                            "use fewer or narrower hidden layers"),
        },
    },
    "ex3_answer": {
        "correct": {
            "SGD with momentum": train("torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)", 20),
            "Adam, validation through a loader": train(
                "torch.optim.Adam(model.parameters(), lr=2e-3)", 25,
                "model.eval()\n    with torch.no_grad():\n"
                "        val_batches = [(loss_fn(model(xb), yb).item(), len(yb)) for xb, yb in\n"
                "                       DataLoader(TensorDataset(X_val, y_val), batch_size=100)]\n"
                "    history[\"val\"].append(sum(l * n for l, n in val_batches) / len(y_val))"),
            "AdamW with weight decay": train("torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)", 25),
        },
        "wrong": {
            "training loss as validation": (train(validate="history[\"val\"].append(history[\"train\"][-1] * 0.5)"),
                                            "history['val'] does not hold the validation loss"),
            "learning rate too small": (train("torch.optim.SGD(model.parameters(), lr=1e-5)", 3),
                                        "the training loss should fall by at least 20%"),
            "one epoch": (train(epochs=1), "should hold one loss per epoch each (at least 2 epochs)"),
            "history as a list": (train().replace('history = {"train": [], "val": []}',
                                                  'history = {"train": [], "val": []}\nfinal = history')
                                  .replace('plot_loss_curves(history, title="Digits")',
                                           'plot_loss_curves(history, title="Digits")\nhistory = list(history["train"])'),
                                  'start with history = {"train": [], "val": []}'),
        },
    },
    "ex4_answer": {
        "correct": {
            "try/finally and torch.argmax": predict("saved = model.training\n    model.eval()\n    try:\n"
                                                    "        with torch.no_grad():\n"
                                                    "            return torch.argmax(model(preprocess(frame)), dim=1)\n"
                                                    "    finally:\n        model.train(saved)"),
            "the helpers' context": predict("from helpers.modes import evaluating\n    with evaluating(model):\n"
                                            "        return model(preprocess(frame)).argmax(dim=-1)"),
            "max indices": predict_loop(result="scores.max(dim=1).indices"),
        },
        "wrong": {
            "left in evaluation mode": (predict_loop(restore="pass"), "call model.train(saved_mode) at the end"),
            "always back to training": (predict_loop(restore="model.train()"),
                                        "model.train() alone would switch an evaluation-mode model to training"),
            "the scores": (predict_loop(result="scores"), "return one digit per row"),
            "no no_grad": (predict("was_training = model.training\n    model.eval()\n"
                                   "    scores = model(preprocess(frame))\n    model.train(was_training)\n"
                                   "    return scores.argmax(dim=1)"),
                           "ran the model with gradients on"),
            "the largest scores": (predict_loop(result="scores.max(dim=1).values"), "argmax already gives int64"),
        },
    },
}
