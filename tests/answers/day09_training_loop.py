"""Alternative answers for Day 09 (the training loop): correct ones written other ways, and classic mistakes."""


def region(body: str) -> str:
    return f"def encode_region(table):\n    {body}\n"


def split(body: str) -> str:
    return f"def split_rows(table, val_fraction, seed):\n    {body}\n"


def scale(body: str) -> str:
    return f"def scale_train_val(train_values, val_values):\n    {body}\n"


def tensors(body: str) -> str:
    return f"def to_tensors(features, target):\n    {body}\n"


def epoch(body: str) -> str:
    return f"def train_epoch(model, loader, loss_fn, optimizer):\n    {body}\n"


EPOCH_LOOP = """total, n_rows = 0.0, 0
    for x_batch, y_batch in loader:
{step}
    return {result}"""
STEP = """        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()"""


def dollars(body: str) -> str:
    return f"def predict_dollars(model, X, target_scaler):\n    {body}\n"


def leaky(body: str) -> str:
    return f"def leaky_columns(table, target, threshold=0.9):\n    {body}\n"


NET = "torch.manual_seed(0)\nwage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))\n"
TRAIN = ("wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)\n"
         "wage_losses = [train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer) for _ in range(30)]\n")
RESULTS = "wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)\n"
MAE = "val_mae = float(np.abs(wage_results.real_predictions - wage_results.real_targets).mean())\n"
SHOW = 'print(f"validation: {val_mae:.2f} dollars per hour off on average")\n'

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "by hand": region("out = table.drop(columns='region')\n"
                              "    for value in sorted(table['region'].unique()):\n"
                              "        out[f'region_{value}'] = (table['region'] == value).astype(float)\n    return out"),
            "concat of dummies": region("dummies = pd.get_dummies(table['region'], prefix='region', dtype=float)\n"
                                        "    return pd.concat([table.drop(columns=['region']), dummies], axis=1)"),
            "dummies then astype": region("encoded = pd.get_dummies(table, columns=['region'])\n"
                                          "    new = [c for c in encoded.columns if c.startswith('region_')]\n"
                                          "    return encoded.astype({c: 'float64' for c in new})"),
            "OneHotEncoder": region("from sklearn.preprocessing import OneHotEncoder\n"
                                    "    encoder = OneHotEncoder(sparse_output=False).fit(table[['region']])\n"
                                    "    names = [f'region_{v}' for v in encoder.categories_[0]]\n"
                                    "    hot = pd.DataFrame(encoder.transform(table[['region']]), columns=names, index=table.index)\n"
                                    "    return table.drop(columns='region').join(hot)"),
        },
        "wrong": {
            "booleans": (region("return pd.get_dummies(table, columns=['region'])"), "Pass dtype=float"),
            "changed in place": (region("for value in table['region'].unique():\n"
                                        "        table[f'region_{value}'] = (table['region'] == value).astype(float)\n"
                                        "    del table['region']\n    return table"),
                                 "Return a new DataFrame"),
            "text column kept": (region("dummies = pd.get_dummies(table['region'], prefix='region', dtype=float)\n"
                                        "    return pd.concat([table, dummies], axis=1)"),
                                 "still has the text column `region`"),
            "one region dropped": (region("return pd.get_dummies(table, columns=['region'], dtype=float, drop_first=True)"),
                                   "do not drop one"),
        },
    },
    "ex2_answer": {
        "correct": {
            "shuffle then cut": split("shuffled = table.sample(frac=1, random_state=seed)\n"
                                      "    n_val = round(len(table) * val_fraction)\n"
                                      "    return shuffled.iloc[n_val:], shuffled.iloc[:n_val]"),
            "sample and drop": split("val_table = table.sample(frac=val_fraction, random_state=seed)\n"
                                     "    return table.drop(val_table.index), val_table"),
            "NumPy permutation, a list": split("import numpy as np\n"
                                               "    order = np.random.default_rng(seed).permutation(len(table))\n"
                                               "    n_val = int(len(table) * val_fraction)\n"
                                               "    return [table.iloc[order[n_val:]], table.iloc[order[:n_val]]]"),
            "shuffle keyword": split("return train_test_split(table, test_size=val_fraction, shuffle=True, "
                                     "random_state=seed)"),
        },
        "wrong": {
            "the last rows": (split("n_val = int(len(table) * val_fraction)\n"
                                    "    return table.iloc[:-n_val], table.iloc[-n_val:]"),
                              "Shuffle before splitting"),
            "index reset": (split("train, val = train_test_split(table, test_size=val_fraction, random_state=seed)\n"
                                  "    return train.reset_index(drop=True), val.reset_index(drop=True)"),
                            "Keep the original index"),
            "no seed": (split("return train_test_split(table, test_size=val_fraction)"),
                        "Pass the seed to the shuffling"),
            "a fixed seed": (split("return train_test_split(table, test_size=val_fraction, random_state=0)"),
                             "Use the seed argument for the shuffling"),
            "parts swapped": (split("train, val = train_test_split(table, test_size=val_fraction, random_state=seed)\n"
                                    "    return val, train"),
                              "val_fraction is the share of rows in the validation part"),
        },
    },
    "ex3_answer": {
        "correct": {
            "fit_transform on train": scale("scaler = StandardScaler()\n"
                                            "    train_scaled = scaler.fit_transform(train_values)\n"
                                            "    return train_scaled, scaler.transform(val_values), scaler"),
            "DataFrames kept": scale("scaler = StandardScaler().fit(train_values)\n"
                                     "    train_df = pd.DataFrame(scaler.transform(train_values))\n"
                                     "    val_df = pd.DataFrame(scaler.transform(val_values))\n"
                                     "    return train_df, val_df, scaler"),
            "arrays first": scale("train_np = np.asarray(train_values, dtype=float)\n"
                                  "    scaler = StandardScaler().fit(train_np)\n"
                                  "    return scaler.transform(train_np), scaler.transform(np.asarray(val_values, dtype=float)), "
                                  "scaler"),
        },
        "wrong": {
            "validation fitted again": (scale("scaler = StandardScaler()\n    train_scaled = scaler.fit_transform(train_values)\n"
                                              "    val_scaled = scaler.fit_transform(val_values)\n"
                                              "    return train_scaled, val_scaled, scaler"),
                                        "Fit on the training rows only"),
            "fitted on everything": (scale("scaler = StandardScaler().fit(pd.concat([pd.DataFrame(train_values), "
                                           "pd.DataFrame(val_values)]))\n"
                                           "    return scaler.transform(train_values), scaler.transform(val_values), scaler"),
                                     "Fit on the training rows only"),
            "a separate scaler for validation": (scale("scaler = StandardScaler().fit(train_values)\n"
                                                       "    val_scaled = StandardScaler().fit_transform(val_values)\n"
                                                       "    return scaler.transform(train_values), val_scaled, scaler"),
                                                 "never fit_transform on validation rows"),
            "no scaler returned": (scale("scaler = StandardScaler().fit(train_values)\n"
                                         "    return scaler.transform(train_values), scaler.transform(val_values)"),
                                   "should return three things"),
        },
    },
    "ex4_answer": {
        "correct": {
            "from_numpy and view": tensors("X = torch.from_numpy(features).float()\n"
                                           "    y = torch.from_numpy(np.asarray(target)).float().view(-1, 1)\n"
                                           "    return X, y"),
            "unsqueeze when 1-D": tensors("X = torch.tensor(features, dtype=torch.float32)\n"
                                          "    y = torch.tensor(target, dtype=torch.float32)\n"
                                          "    if y.ndim == 1:\n        y = y.unsqueeze(1)\n    return X, y"),
            "as_tensor and a list": tensors("return [torch.as_tensor(features, dtype=torch.float32),\n"
                                            "            torch.as_tensor(target, dtype=torch.float32).reshape(len(target), 1)]"),
        },
        "wrong": {
            "1-D target": (tensors("return torch.tensor(features, dtype=torch.float32), "
                                   "torch.tensor(target, dtype=torch.float32)"),
                           "The target needs shape (n, 1)"),
            "float64": (tensors("return torch.tensor(features), torch.tensor(target).reshape(-1, 1)"),
                        "pass dtype=torch.float32"),
            "unsqueeze always": (tensors("return torch.tensor(features, dtype=torch.float32), "
                                         "torch.tensor(target, dtype=torch.float32).unsqueeze(1)"),
                                 "A target that already has shape (n, 1) must keep it"),
            "a row": (tensors("return torch.tensor(features, dtype=torch.float32), "
                              "torch.tensor(target, dtype=torch.float32).reshape(1, -1)"),
                      "The target needs shape (n, 1)"),
        },
    },
    "ex5_answer": {
        "correct": {
            "divide by the dataset size": epoch("model.train()\n    total = 0.0\n    for x_batch, y_batch in loader:\n"
                                                + STEP + "\n        total += loss.item() * x_batch.shape[0]\n"
                                                "    return total / len(loader.dataset)"),
            "float() of the loss": epoch(EPOCH_LOOP.format(step=STEP + "\n        total += float(loss) * len(x_batch)\n"
                                                                 "        n_rows += len(x_batch)",
                                                           result="total / n_rows")),
            "weights kept in lists": epoch("losses, sizes = [], []\n    for x_batch, y_batch in loader:\n" + STEP +
                                           "\n        losses.append(loss.item())\n        sizes.append(len(y_batch))\n"
                                           "    return float(np.average(losses, weights=sizes))"),
        },
        "wrong": {
            "the last batch": (epoch(EPOCH_LOOP.format(step=STEP, result="loss.item()")),
                               "That is the loss of the last batch only"),
            "plain average of batches": (epoch("losses = []\n    for x_batch, y_batch in loader:\n" + STEP +
                                               "\n        losses.append(loss.item())\n    return sum(losses) / len(losses)"),
                                         "That is the plain average of the batch losses"),
            "divided by batches": (epoch("total, n_batches = 0.0, 0\n    for x_batch, y_batch in loader:\n" + STEP +
                                         "\n        total += loss.item() * len(x_batch)\n        n_batches += 1\n"
                                         "    return total / n_batches"),
                                   "Divide the sum by the number of rows"),
            "a tensor": (epoch(EPOCH_LOOP.format(step=STEP + "\n        total += loss.detach() * len(x_batch)\n"
                                                            "        n_rows += len(x_batch)",
                                                 result="total / n_rows")),
                         "Return a Python float"),
            "no zero_grad": (epoch(EPOCH_LOOP.format(step="        loss = loss_fn(model(x_batch), y_batch)\n"
                                                          "        loss.backward()\n        optimizer.step()\n"
                                                          "        total += loss.item() * len(x_batch)\n"
                                                          "        n_rows += len(x_batch)",
                                                     result="total / n_rows")),
                             "Did you call zero_grad()?"),
            "an optimizer of its own": (epoch("own = optim.SGD(model.parameters(), lr=0.1)\n    "
                                              + EPOCH_LOOP.format(step=STEP.replace("optimizer.", "own.")
                                                                  + "\n        total += loss.item() * len(x_batch)\n"
                                                                    "        n_rows += len(x_batch)",
                                                                  result="total / n_rows")),
                                        "with the optimizer and loss_fn you are given"),
        },
    },
    "ex6_answer": {
        "correct": {
            "try/finally": dollars("was_training = model.training\n    model.eval()\n    try:\n"
                                   "        with torch.no_grad():\n            scaled = model(X).numpy()\n"
                                   "    finally:\n        model.train(was_training)\n"
                                   "    return target_scaler.inverse_transform(scaled)"),
            "the helpers' context": dollars("from helpers.modes import evaluating\n    with evaluating(model):\n"
                                            "        scaled = model(X)\n"
                                            "    return target_scaler.inverse_transform(scaled.numpy())"),
            "inference_mode and detach": dollars("mode = model.training\n    model.eval()\n"
                                                 "    with torch.inference_mode():\n        out = model(X)\n"
                                                 "    model.train(mode)\n"
                                                 "    return target_scaler.inverse_transform(out.detach().numpy())"),
        },
        "wrong": {
            "detach instead of no_grad": (dollars("was_training = model.training\n    model.eval()\n"
                                                  "    out = model(X).detach().numpy()\n    model.train(was_training)\n"
                                                  "    return target_scaler.inverse_transform(out)"),
                                          "Predict inside `with torch.no_grad():`"),
            "no eval": (dollars("with torch.no_grad():\n        out = model(X)\n"
                                "    return target_scaler.inverse_transform(out.numpy())"),
                        "Call model.eval() before predicting"),
            "left in evaluation mode": (dollars("model.eval()\n    with torch.no_grad():\n        out = model(X)\n"
                                                "    return target_scaler.inverse_transform(out.numpy())"),
                                        "call model.train(was_training) at the end"),
            "the lesson's scaler": (dollars("was_training = model.training\n    model.eval()\n"
                                            "    with torch.no_grad():\n        out = model(X)\n"
                                            "    model.train(was_training)\n"
                                            "    return y_scaler.inverse_transform(out.numpy())"),
                                    "Use the target_scaler argument"),
            "a tensor": (dollars("was_training = model.training\n    model.eval()\n    with torch.no_grad():\n"
                                 "        out = model(X)\n    model.train(was_training)\n"
                                 "    return torch.tensor(target_scaler.inverse_transform(out.numpy()))"),
                         "a NumPy array"),
        },
    },
    "ex7_answer": {
        "correct": {
            "a pandas Index": leaky("correlations = table.corr(numeric_only=True)[target].drop(target)\n"
                                    "    return correlations[correlations.abs() > threshold].index"),
            "column by column": leaky("numeric = table.select_dtypes('number')\n"
                                      "    return [c for c in numeric.columns\n"
                                      "            if c != target and abs(numeric[c].corr(numeric[target])) > threshold]"),
            "tolist of a mask": leaky("corr = table.corr(numeric_only=True)[target]\n"
                                      "    keep = (corr.abs() > threshold) & (corr.index != target)\n"
                                      "    return corr.index[keep].tolist()"),
            "a NumPy array of names": leaky("corr = table.corr(numeric_only=True)[target].drop(target)\n"
                                            "    return corr.index.to_numpy()[np.abs(corr.to_numpy()) > threshold]"),
        },
        "wrong": {
            "no abs": (leaky("corr = table.corr(numeric_only=True)[target].drop(target)\n"
                             "    return list(corr[corr > threshold].index)"),
                       "Compare the absolute correlation with the threshold"),
            "target kept": (leaky("corr = table.corr(numeric_only=True)[target]\n"
                                  "    return list(corr[corr.abs() > threshold].index)"),
                            "leave the target itself out"),
            "alphabetical": (leaky("corr = table.corr(numeric_only=True)[target].drop(target)\n"
                                   "    return sorted(corr[corr.abs() > threshold].index)"),
                             "keep the table's column order"),
            "a fixed threshold": (leaky("corr = table.corr(numeric_only=True)[target].drop(target)\n"
                                        "    return list(corr[corr.abs() > 0.9].index)"),
                                  "Use the threshold argument"),
            "text columns included": (leaky("corr = table.corr()[target].drop(target)\n"
                                            "    return list(corr[corr.abs() > threshold].index)"),
                                      "Use table.corr(numeric_only=True)"),
        },
    },
    "ex8_answer": {
        "correct": {
            "a subclass and a loop of its own": (
                "torch.manual_seed(0)\n\n\nclass WageNet(nn.Module):\n    def __init__(self):\n"
                "        super().__init__()\n        self.hidden = nn.Linear(9, 16)\n        self.out = nn.Linear(16, 1)\n\n"
                "    def forward(self, x):\n        return self.out(torch.sigmoid(self.hidden(x)))\n\n\n"
                "wage_net = WageNet()\nwage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)\nwage_losses = []\n"
                "for epoch in range(30):\n    wage_losses.append(train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer))\n"
                + RESULTS + "val_mae = np.mean(np.abs(wage_results.real_predictions - wage_results.real_targets))\n" + SHOW),
            "ReLU and a torch MAE": ("torch.manual_seed(0)\n"
                                     "wage_net = nn.Sequential(nn.Linear(len(feature_columns), 32), nn.ReLU(), nn.Linear(32, 1))\n"
                                     + TRAIN + RESULTS +
                                     "val_mae = (torch.as_tensor(wage_results.real_predictions) - "
                                     "torch.as_tensor(wage_results.real_targets)).abs().mean().item()\n" + SHOW),
            "sklearn's MAE": (NET + TRAIN + RESULTS + "from sklearn.metrics import mean_absolute_error\n"
                              "val_mae = mean_absolute_error(wage_results.real_targets, wage_results.real_predictions)\n"
                              + SHOW),
        },
        "wrong": {
            "the lesson's model": ("wage_net = model\n" + TRAIN + RESULTS + MAE + SHOW, "build a new network"),
            "training workers": (NET + TRAIN + "wage_results = show_results(wage_net, DataLoader(train_set, batch_size=64), "
                                 "target_scaler=y_scaler)\n" + MAE + SHOW,
                                 "`wage_results` holds the 420 training workers"),
            "scaled units": (NET + TRAIN + "wage_results = show_results(wage_net, val_loader)\n"
                             "val_mae = float((wage_results.predictions - wage_results.targets).abs().mean())\n" + SHOW,
                             "Pass target_scaler=y_scaler to show_results"),
            "errors cancel": (NET + TRAIN + RESULTS
                              + "val_mae = float((wage_results.real_predictions - wage_results.real_targets).mean())\n" + SHOW,
                              "Take the absolute value of each error before averaging"),
            "one epoch": (NET + "wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)\n"
                          "wage_losses = [train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer)]\n"
                          + RESULTS + MAE + SHOW, "Store one mean loss per epoch, 30 epochs"),
        },
    },
}
