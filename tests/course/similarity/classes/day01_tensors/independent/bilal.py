# bilal: explains every step in comments and names every intermediate result
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

# one adjustment of +2 degrees for every reading
adjustment = torch.ones(2, 3, dtype=torch.int64) * 2
# add the adjustment position by position
adjusted = temperatures + adjustment
print(adjusted)
# %% ex2_answer
def numpy_to_tensor(array):
    """Return a tensor that shares memory with the NumPy array `array`."""
    # from_numpy shares the memory (torch.tensor would copy it)
    tensor = torch.from_numpy(array)
    return tensor
# %% ex3_answer
def describe(t):
    """Return (number of dimensions, shape, dtype, device) of the tensor `t`."""
    number_of_dimensions = t.ndim
    shape = t.shape
    dtype = t.dtype
    device = t.device
    return number_of_dimensions, shape, dtype, device
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

# element-wise product
elementwise = p * q
# matrix product (rows times columns)
matrix_product = torch.matmul(p, q)
print(elementwise)
print(matrix_product)
# %% ex5_answer
def customer_totals(quantities, prices):
    """Return the total bill of each customer: shape (customers, 1)."""
    # (customers x products) @ (products x 1) -> (customers x 1)
    totals = torch.matmul(quantities, prices)
    return totals
# %% ex6_answer
def average(t):
    """Return the mean of all elements of `t` as a 0-D float32 tensor."""
    # mean() only works on floating point numbers
    floats = t.float()
    mean_value = floats.mean()
    return mean_value
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
    # evening is stored as (places, days), so transpose it first
    evening_days_first = evening.T
    change = evening_days_first - morning
    return change
# %% ex8_answer
def neuron(inputs, weights, bias):
    """Return the weighted sum of `inputs` plus `bias`, as a 0-D tensor."""
    # multiply each input by its weight and add everything up
    weighted = inputs * weights
    weighted_sum = weighted.sum()
    return weighted_sum + bias


def count_weights(sizes):
    """Return the number of weights of a network with layer sizes `sizes` (inputs first, outputs last)."""
    # every layer is connected to the next one
    number_of_weights = 0
    for i in range(len(sizes) - 1):
        # weights between layer i and layer i + 1
        number_of_weights = number_of_weights + sizes[i] * sizes[i + 1]
    return number_of_weights
