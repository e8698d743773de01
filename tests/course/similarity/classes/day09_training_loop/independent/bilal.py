# bilal: explains every step in comments and names every intermediate result
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    # turn the region text column into one 0/1 column per region
    encoded_table = pd.get_dummies(table, columns=["region"], dtype=float)
    return encoded_table
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    # shuffle with the seed, then keep val_fraction of the rows for validation
    training_part, validation_part = train_test_split(
        table, test_size=val_fraction, random_state=seed, shuffle=True
    )
    return training_part, validation_part
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    # learn the means and standard deviations on the training rows only
    scaler = StandardScaler()
    scaler.fit(train_values)
    # apply the same scaling to both parts
    train_scaled = scaler.transform(train_values)
    val_scaled = scaler.transform(val_values)
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    # the model works with float32
    features_tensor = torch.tensor(features, dtype=torch.float32)
    target_tensor = torch.tensor(target, dtype=torch.float32)
    # one target per row, as a column: shape (n, 1)
    target_tensor = target_tensor.reshape(-1, 1)
    return features_tensor, target_tensor
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    # put the model in training mode
    model.train()
    sum_of_losses = 0.0
    number_of_rows = 0
    for inputs, targets in loader:
        # forget the gradients of the previous batch
        optimizer.zero_grad()
        # forward pass
        predictions = model(inputs)
        batch_loss = loss_fn(predictions, targets)
        # backward pass and one step of gradient descent
        batch_loss.backward()
        optimizer.step()
        # weight the batch loss by the number of rows in the batch
        batch_rows = inputs.shape[0]
        sum_of_losses += batch_loss.item() * batch_rows
        number_of_rows += batch_rows
    # mean loss over all the rows of the epoch
    mean_loss = sum_of_losses / number_of_rows
    return mean_loss
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    # evaluation mode, and no gradients needed for predictions
    model.eval()
    with torch.no_grad():
        scaled_predictions = model(X)
    # undo the scaling of the target to get dollars
    predictions_in_dollars = target_scaler.inverse_transform(scaled_predictions.numpy())
    return predictions_in_dollars
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    # correlation of every numeric column with the target
    correlation_matrix = table.corr(numeric_only=True)
    target_correlations = correlation_matrix[target]
    leaky = []
    for column_name in target_correlations.index:
        if column_name == target:
            continue
        # strongly positive or strongly negative: both leak
        if abs(target_correlations[column_name]) > threshold:
            leaky.append(column_name)
    return leaky
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
# a new network: 9 inputs, 16 hidden neurons, 1 output
torch.manual_seed(0)
number_of_features = X_train.shape[1]
wage_net = nn.Sequential(
    nn.Linear(number_of_features, 16),
    nn.Sigmoid(),
    nn.Linear(16, 1),
)
wage_loss_fn = nn.MSELoss()
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
# train for 30 epochs and keep the mean loss of each one
wage_losses = []
for epoch in range(30):
    epoch_loss = train_epoch(wage_net, train_loader, wage_loss_fn, wage_optimizer)
    wage_losses.append(epoch_loss)
# look at the validation workers, in dollars
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
absolute_errors = np.abs(wage_results.real_predictions - wage_results.real_targets)
val_mae = float(absolute_errors.mean())
print(f"validation: {val_mae:.2f} dollars per hour off on average")
