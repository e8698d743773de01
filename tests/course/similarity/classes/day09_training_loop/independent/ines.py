# ines: deletes the docstrings, comments in shorthand
# %% ex1_answer
def encode_region(table):
    return pd.get_dummies(table, columns=["region"], dtype=float)  # one-hot
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    tr, va = train_test_split(table, test_size=val_fraction, random_state=seed)
    return tr, va
# %% ex3_answer
def scale_train_val(train_values, val_values):
    sc = StandardScaler().fit(train_values)  # fit on train only!
    return sc.transform(train_values), sc.transform(val_values), sc
# %% ex4_answer
def to_tensors(features, target):
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32).view(-1, 1)  # (n,) -> (n, 1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    model.train()
    tot, n = 0., 0
    for xb, yb in loader:
        optimizer.zero_grad()
        l = loss_fn(model(xb), yb)
        l.backward()
        optimizer.step()
        tot += l.item() * xb.shape[0]
        n += xb.shape[0]
    return tot / n  # mean per row
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    model.eval()
    with torch.no_grad():
        p = model(X)
    return target_scaler.inverse_transform(p.numpy())  # back to $
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    c = table.corr(numeric_only=True)[target].drop(target)
    return [k for k, v in c.items() if abs(v) > threshold]
# %% ex8_answer
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))
opt_w = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = [train_epoch(wage_net, train_loader, loss_fn, opt_w) for _ in range(30)]
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.abs(wage_results.real_predictions - wage_results.real_targets).mean())  # $
print(f"validation: {val_mae:.2f} dollars per hour off on average")
