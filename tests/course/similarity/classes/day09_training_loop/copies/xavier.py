# xavier: copied hana's notebook, renamed, recommented and reordered it
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    return table.pipe(pd.get_dummies, columns=["region"], dtype=float)   # one-hot, as floats
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    # shuffle everything, then cut
    mixed = table.sample(frac=1.0, random_state=seed)
    k = round(len(mixed) * val_fraction)
    return mixed.iloc[k:], mixed.iloc[:k]
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    # fit once, transform both
    return (sc := StandardScaler().fit(train_values)).transform(train_values), sc.transform(val_values), sc
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    return (torch.tensor(features).float(),
            torch.tensor(target).float().reshape(-1, 1))
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    running = 0.0
    for xb, yb in loader:
        batch_loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        running += batch_loss.detach().mul(len(xb)).item()   # weighted by batch size
    return running / len(loader.dataset)
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():   # predictions only
        return target_scaler.inverse_transform(model(X).cpu().numpy())
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    return (table.corr(numeric_only=True)[target].drop(target)
            .abs().gt(threshold).loc[lambda keep: keep].index.tolist())
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))
net_opt = optim.SGD(wage_net.parameters(), lr=0.05)
# 30 epochs of training
wage_losses = list(map(lambda _: train_epoch(wage_net, train_loader, nn.MSELoss(), net_opt), range(30)))
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = (np.abs(wage_results.real_predictions - wage_results.real_targets)).mean().item()
print(f"validation: {val_mae:.2f} dollars per hour off on average")
