# farah: writes explicit loops and prints to check
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    result = table.copy()
    for region in sorted(table["region"].unique()):
        result["region_" + region] = (table["region"] == region).astype(float)
    result = result.drop(columns=["region"])
    return result
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    shuffled = table.sample(frac=1, random_state=seed)
    n_val = int(len(table) * val_fraction)
    val_part = shuffled.iloc[:n_val]
    train_part = shuffled.iloc[n_val:]
    print(len(train_part), len(val_part))
    return train_part, val_part
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler()
    scaler.fit(train_values)
    train_scaled = scaler.transform(train_values)
    val_scaled = scaler.transform(val_values)
    print(train_scaled.mean(axis=0))
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32)
    y = y.reshape(len(y), 1)
    print(X.shape, y.shape)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    total_loss = 0.0
    total_rows = 0
    for batch in loader:
        x = batch[0]
        y = batch[1]
        optimizer.zero_grad()
        prediction = model(x)
        loss = loss_fn(prediction, y)
        loss.backward()
        optimizer.step()
        total_loss = total_loss + loss.item() * len(x)
        total_rows = total_rows + len(x)
    return total_loss / total_rows
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():
        prediction = model(X)
    prediction = prediction.numpy()
    result = target_scaler.inverse_transform(prediction)
    return result
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    result = []
    for column in table.columns:
        if column == target:
            continue
        if not pd.api.types.is_numeric_dtype(table[column]):
            continue
        correlation = table[column].corr(table[target])
        if abs(correlation) > threshold:
            result.append(column)
    return result
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = []
for epoch in range(30):
    epoch_loss = train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer)
    wage_losses.append(epoch_loss)
    print(epoch, epoch_loss)
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
predicted = wage_results.real_predictions.ravel()
actual = wage_results.real_targets.ravel()
total = 0
for i in range(len(predicted)):
    total = total + abs(predicted[i] - actual[i])
val_mae = float(total / len(predicted))
print(f"validation: {val_mae:.2f} dollars per hour off on average")
