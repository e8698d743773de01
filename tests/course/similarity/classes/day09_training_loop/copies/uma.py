# uma: copied bilal's notebook and renamed his variables
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    # turn the region text column into one 0/1 column per region
    one_hot_table = pd.get_dummies(table, columns=["region"], dtype=float)
    return one_hot_table
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    # shuffle with the seed, then keep val_fraction of the rows for validation
    part_a, part_b = train_test_split(
        table, test_size=val_fraction, random_state=seed, shuffle=True
    )
    return part_a, part_b
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    # learn the means and standard deviations on the training rows only
    std_scaler = StandardScaler()
    std_scaler.fit(train_values)
    # apply the same scaling to both parts
    tr = std_scaler.transform(train_values)
    va = std_scaler.transform(val_values)
    return tr, va, std_scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    # the model works with float32
    x_t = torch.tensor(features, dtype=torch.float32)
    y_t = torch.tensor(target, dtype=torch.float32)
    # one target per row, as a column: shape (n, 1)
    y_t = y_t.reshape(-1, 1)
    return x_t, y_t
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    # put the model in training mode
    model.train()
    loss_total = 0.0
    rows_seen = 0
    for xs, ys in loader:
        # forget the gradients of the previous batch
        optimizer.zero_grad()
        # forward pass
        out = model(xs)
        l = loss_fn(out, ys)
        # backward pass and one step of gradient descent
        l.backward()
        optimizer.step()
        # weight the batch loss by the number of rows in the batch
        n = xs.shape[0]
        loss_total += l.item() * n
        rows_seen += n
    # mean loss over all the rows of the epoch
    avg_loss = loss_total / rows_seen
    return avg_loss
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    # evaluation mode, and no gradients needed for predictions
    model.eval()
    with torch.no_grad():
        preds = model(X)
    # undo the scaling of the target to get dollars
    dollars = target_scaler.inverse_transform(preds.numpy())
    return dollars
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    # correlation of every numeric column with the target
    cm = table.corr(numeric_only=True)
    corr_with_target = cm[target]
    found = []
    for name in corr_with_target.index:
        if name == target:
            continue
        # strongly positive or strongly negative: both leak
        if abs(corr_with_target[name]) > threshold:
            found.append(name)
    return found
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
# a new network: 9 inputs, 16 hidden neurons, 1 output
torch.manual_seed(0)
n_in = X_train.shape[1]
wage_net = nn.Sequential(
    nn.Linear(n_in, 16),
    nn.Sigmoid(),
    nn.Linear(16, 1),
)
criterion = nn.MSELoss()
my_opt = optim.SGD(wage_net.parameters(), lr=0.05)
# train for 30 epochs and keep the mean loss of each one
wage_losses = []
for e in range(30):
    l_epoch = train_epoch(wage_net, train_loader, criterion, my_opt)
    wage_losses.append(l_epoch)
# look at the validation workers, in dollars
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
abs_err = np.abs(wage_results.real_predictions - wage_results.real_targets)
val_mae = float(abs_err.mean())
print(f"validation: {val_mae:.2f} dollars per hour off on average")
