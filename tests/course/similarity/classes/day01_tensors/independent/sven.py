# sven: leaves the result as the cell's last line to see it
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

adjustment = torch.full((2, 3), 2)
adjusted = temperatures + adjustment
adjusted
# %% ex2_answer
def numpy_to_tensor(array):
    """Return a tensor that shares memory with the NumPy array `array`."""
    return torch.from_numpy(array)
# %% ex3_answer
def describe(t):
    """Return (number of dimensions, shape, dtype, device) of the tensor `t`."""
    return t.ndim, t.shape, t.dtype, t.device
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

elementwise = p * q
matrix_product = p @ q
elementwise, matrix_product
# %% ex5_answer
def customer_totals(quantities, prices):
    """Return the total bill of each customer: shape (customers, 1)."""
    return quantities @ prices
# %% ex6_answer
def average(t):
    """Return the mean of all elements of `t` as a 0-D float32 tensor."""
    return t.float().mean()
# %% ex7_answer
morning = torch.tensor([[12, 14, 11],
                        [10, 13, 12]])   # 2 days x 3 places
evening = torch.tensor([[18, 16],
                        [19, 17],
                        [15, 14]])       # 3 places x 2 days
try:
    evening - morning
except RuntimeError as err:
    print("RuntimeError:", err)


def temperature_change(morning, evening):
    """Return evening minus morning, shape (days, places); `evening` is stored as (places, days)."""
    return evening.T - morning
# %% ex8_answer
def neuron(inputs, weights, bias):
    """Return the weighted sum of `inputs` plus `bias`, as a 0-D tensor."""
    return (inputs * weights).sum() + bias


def count_weights(sizes):
    """Return the number of weights of a network with layer sizes `sizes` (inputs first, outputs last)."""
    weights = 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        weights += a * b
    return weights
